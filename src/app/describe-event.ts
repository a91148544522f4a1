import type { EventData } from '../gates/types.js';

/** One line of a release's history in a few words, after its kind: the CLI's `release show` and the dashboard's default. */
export function describeEvent(data: EventData): string {
  switch (data.kind) {
    case 'created':
      return `at ${data.commit.slice(0, 7)}`;
    case 'candidate':
      return `${data.previous.slice(0, 7)} -> ${data.commit.slice(0, 7)}`;
    case 'approval':
      return `as ${data.role} for ${data.commit.slice(0, 7)}${data.comment ? `: ${data.comment}` : ''}`;
    case 'waiver':
      return `${data.gate} for ${data.commit.slice(0, 7)}: ${data.reason}`;
    case 'notice':
      return data.comment ?? '';
    case 'transition':
      return `${data.from} -> ${data.to}${data.reason ? `: ${data.reason}` : ''}`;
    case 'postmortem':
      return data.url;
    case 'deployment':
      return `${data.environment}${data.detail ? `: ${data.detail}` : ''}`;
    case 'deploy':
      return `${data.environment} #${data.deployment} ${data.version}: ${data.step}${data.detail ? `: ${data.detail}` : ''}`;
    case 'analysis':
      return `${data.environment} #${data.deployment} ${data.round === null ? 'verdict' : `round ${data.round}`}: ${data.phase}${data.reason ? `: ${data.reason}` : ''}`;
    case 'rollback':
      return `${data.environment} ${data.from ?? '?'} -> ${data.to}${data.automatic ? ' (automatic)' : ''}${data.forced ? ' (forced)' : ''}: ${data.reason}`;
    case 'artifacts':
      return data.tags.map((tag) => `${tag.tag} ${tag.action}`).join(', ');
    case 'signoff':
      return `${data.gate}${data.comment ? `: ${data.comment}` : ''}`;
    case 'pipeline':
      return `${data.step}${data.environment ? ` ${data.environment}` : ''}${data.detail ? `: ${data.detail}` : ''}`;
    case 'message':
      return `${data.step} to ${data.channel}: ${data.outcome} (attempt ${data.attempt}${data.retry ? ', will retry' : ''})${data.detail ? `: ${data.detail}` : ''}`;
    case 'branch-lock':
      return `${data.branch} ${data.locked ? 'locked' : 'unlocked'}${data.outcome === 'failed' ? ' failed' : ''}${data.detail ? `: ${data.detail}` : ''}`;
    case 'step-due':
      return `${data.title} (due ${data.due})`;
  }
}
