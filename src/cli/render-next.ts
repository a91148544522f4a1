import type { NextStep } from '../errors/next-step.js';
import { renderOutsideStep } from '../errors/render-outside-step.js';

const list = (items: readonly string[]) => items.join(', ');
const plural = (count: number, word: string) => `${word}${count === 1 ? '' : 's'}`;

/** A next step in the CLI's words: the command to run, or what to do outside shipgate. */
export function renderNext(step: NextStep): string {
  switch (step.action) {
    case 'approve': {
      const { release, role, count } = step.args;
      if (role === null) return `an approver runs: shipgate approve ${release} --role <role>`;
      return `${count} more ${role} ${plural(count, 'member')} run${count === 1 ? 's' : ''}: shipgate approve ${release} --role ${role}`;
    }
    case 'waive':
      return `waive it with the reason it is met: shipgate waive ${step.args.release} ${step.args.gate} --reason "..."`;
    case 'notice':
      return `announce the release, then record it: shipgate notice ${step.args.release} (the ${step.args.days}-day period starts then)`;
    case 'wait':
      return `wait ${step.args.days} more ${plural(step.args.days, 'day')}: the release may ship from ${step.args.until}`;
    case 'postmortem':
      return `shipgate postmortem ${step.args.release} <url>`;
    case 'candidate':
      return `shipgate release candidate ${step.args.release}`;
    case 'check':
      return `shipgate check ${step.args.release}`;
    case 'show-release':
      return `shipgate release show ${step.args.release}`;
    case 'list-releases':
      return 'shipgate release list';
    case 'create-release':
      return `shipgate release create ${step.args.component ?? '<component>'}${step.args.type === 'scheduled' ? '' : ` --type ${step.args.type}`}`;
    case 'check-policy':
      return `shipgate policy check ${step.args.file}`;
    case 'provide-evidence': {
      const { kind, what, patterns } = step.args;
      if (kind === 'junit') return `have CI write the JUnit XML report of ${what} to ${patterns[0] ?? 'the configured path'}`;
      if (kind === 'sarif') return `have CI write the SARIF output of ${what} to ${patterns[0] ?? 'the configured path'}`;
      if (kind === 'file') return `write ${patterns[0] ?? 'it'} and commit it to the candidate`;
      return `update ${list(patterns)} and commit it to the candidate`;
    }
    case 'deploy':
      return `shipgate deploy ${step.args.release} --to ${step.args.environment} (its smoke tests and analysis are the evidence)`;
    case 'signoff':
      return `${step.args.role === null ? 'once done, sign it off' : `a ${step.args.role} member signs it off once done`}: shipgate signoff ${step.args.release} ${step.args.gate}`;
    case 'configure-evidence':
    case 'fix-tests':
    case 'run-tests':
    case 'fix-findings':
    case 'fix-migrations':
      return renderOutsideStep(step);
  }
}

/** A step or none, as the `next` line of the CLI and the `next` field of its JSON. */
export function renderNextOrNull(step: NextStep | null): string | null {
  return step === null ? null : renderNext(step);
}
