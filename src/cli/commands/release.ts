import type { EventData } from '../../gates/types.js';
import type { RegisterCommand } from '../context.js';
import { describeRelease } from '../format-gates.js';
import { formatTable } from '../format-table.js';
import { printJson } from '../io.js';
import { renderNext } from '../render-next.js';
import { AS_OPTION, DB_OPTION, withGoverningStore, withStore } from '../with-store.js';

export const registerRelease: RegisterCommand = (program, context) => {
  const release = program.command('release').description('release records: open one from the plan, list them, show their event log');

  release
    .command('create')
    .description('open a release record from the plan of one component (version, bump, train date) at the current commit')
    .argument('<component>', 'the component to release')
    .option('--type <type>', 'scheduled, hotfix or emergency', 'scheduled')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (component: string, options: { type: string; as?: string; db?: string; json?: boolean }) => {
      const { createRelease, parseReleaseType } = await import('../../app/create-release.js');
      const type = parseReleaseType(options.type);
      const record = await withGoverningStore(context, options, 'record', async ({ store, policy, cwd, now, caller }) => {
        const actor = await caller();
        return createRelease({ store, policy, cwd, component, type, actor, now });
      });
      if (options.json) return printJson(context.io, record);
      context.io.out(`opened ${describeRelease(record)}\nnext: ${renderNext({ action: 'check', args: { release: record.id } })}`);
    });

  release
    .command('list')
    .description('releases in the store, newest first')
    .argument('[component]', 'only this component')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (component: string | undefined, options: { db?: string; json?: boolean }) => {
      const { listReleaseRecords } = await import('../../app/show-release.js');
      const releases = await withStore(context, options, ({ store }) => listReleaseRecords(store, component));
      if (options.json) return printJson(context.io, releases);
      const rows = releases.map((r) => [r.id, r.type, r.bump, r.state, r.trainDate ?? '', r.commit.slice(0, 7), r.createdBy]);
      context.io.out(formatTable(['Release', 'Type', 'Bump', 'State', 'Train', 'Candidate', 'Opened by'], rows));
    });

  release
    .command('show')
    .description('one release and its event log: every state change, approval, waiver, notice and who did it')
    .argument('<release>', 'component@version')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { db?: string; json?: boolean }) => {
      const { showRelease } = await import('../../app/show-release.js');
      const shown = await withStore(context, options, ({ store }) => showRelease(store, ref));
      if (options.json) return printJson(context.io, shown);
      const rows = shown.events.map((event) => [String(event.seq), event.at, event.actor, event.data.kind, describeEvent(event.data)]);
      context.io.out(`${describeRelease(shown.release)}\n\n${formatTable(['#', 'At', 'Who', 'What', 'Detail'], rows)}`);
    });

  release
    .command('candidate')
    .description('point a release at a new candidate commit; approvals of the old commit stop counting')
    .argument('<release>', 'component@version')
    .option('--commit <sha>', 'the new candidate (default: HEAD)')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { commit?: string; as?: string; db?: string; json?: boolean }) => {
      const result = await withGoverningStore(context, options, 'record', async ({ store, policy, governing, cwd, caller }) => {
        const { setCandidate } = await import('../../app/transition-release.js');
        return setCandidate({ store, policy, codeowners: governing.codeowners, cwd, ref, commit: options.commit, actor: await caller() });
      });
      if (options.json) return printJson(context.io, result);
      context.io.out(result.changed ? `${result.release.id}: candidate is now ${result.release.commit.slice(0, 7)}; earlier approvals no longer count` : `${result.release.id}: candidate is already ${result.release.commit.slice(0, 7)}`);
    });

  release
    .command('abandon')
    .description('abandon a release that will not ship')
    .argument('<release>', 'component@version')
    .requiredOption('--reason <text>', 'why')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { reason: string; as?: string; db?: string; json?: boolean }) => {
      const record = await withGoverningStore(context, options, 'record', async ({ store, caller }) => {
        const { transitionRelease } = await import('../../app/transition-release.js');
        return transitionRelease({ store, ref, to: 'abandoned', reason: options.reason, actor: await caller() });
      });
      if (options.json) return printJson(context.io, record);
      context.io.out(`${record.id}: abandoned`);
    });
};

function describeEvent(data: EventData): string {
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
    case 'message':
      return `${data.step} to ${data.channel}: ${data.outcome} (attempt ${data.attempt}${data.retry ? ', will retry' : ''})${data.detail ? `: ${data.detail}` : ''}`;
    case 'branch-lock':
      return `${data.branch} ${data.locked ? 'locked' : 'unlocked'}${data.outcome === 'failed' ? ' failed' : ''}${data.detail ? `: ${data.detail}` : ''}`;
    case 'step-due':
      return `${data.title} (due ${data.due})`;
  }
}
