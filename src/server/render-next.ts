import type { NextStep } from '../errors/next-step.js';
import { renderOutsideStep } from '../errors/render-outside-step.js';

const release = (id: string) => `/api/v1/releases/${encodeURIComponent(id)}`;
const list = (items: readonly string[]) => items.join(', ');

/**
 * A next step in the API's words: the request that does it, or what to do outside shipgate. The same
 * data the CLI words as a command (cli/render-next.ts); a client may also read the data itself.
 */
export function renderApiNext(step: NextStep): string {
  switch (step.action) {
    case 'approve': {
      const { role, count } = step.args;
      const body = role === null ? '{"role": "<role>"}' : `{"role": ${JSON.stringify(role)}}`;
      return `${role === null ? 'an approver' : `${count} more ${role} member${count === 1 ? '' : 's'}`}: POST ${release(step.args.release)}/approvals ${body}`;
    }
    case 'waive':
      return `POST ${release(step.args.release)}/waivers {"gate": ${JSON.stringify(step.args.gate)}, "reason": "..."}`;
    case 'notice':
      return `announce the release, then POST ${release(step.args.release)}/notices (the ${step.args.days}-day period starts then)`;
    case 'wait':
      return `wait ${step.args.days} more day${step.args.days === 1 ? '' : 's'}: the release may ship from ${step.args.until}`;
    case 'postmortem':
      return `POST ${release(step.args.release)}/postmortem {"url": "..."}`;
    case 'candidate':
      return `POST ${release(step.args.release)}/candidate`;
    case 'check':
      return `GET ${release(step.args.release)}/gates`;
    case 'show-release':
      return `GET ${release(step.args.release)}`;
    case 'list-releases':
      return 'GET /api/v1/releases';
    case 'create-release':
      return `POST /api/v1/releases {"component": ${JSON.stringify(step.args.component ?? '<component>')}, "type": ${JSON.stringify(step.args.type)}}`;
    case 'check-policy':
      return `fix ${step.args.file} on the main branch (shipgate policy check ${step.args.file} lists every problem)`;
    case 'provide-evidence': {
      const { kind, what, patterns } = step.args;
      if (kind === 'junit' || kind === 'sarif') return `have CI write the ${kind === 'junit' ? 'JUnit XML report' : 'SARIF output'} of ${what} to ${patterns[0] ?? 'the configured path'}`;
      return `commit ${kind === 'file' ? (patterns[0] ?? 'it') : list(patterns)} to the candidate`;
    }
    case 'deploy':
      return `POST ${release(step.args.release)}/deployments {"environment": ${JSON.stringify(step.args.environment)}}`;
    case 'signoff':
      return `POST ${release(step.args.release)}/signoffs {"gate": ${JSON.stringify(step.args.gate)}}`;
    case 'configure-evidence':
    case 'fix-tests':
    case 'run-tests':
    case 'fix-findings':
    case 'fix-migrations':
      return renderOutsideStep(step);
  }
}
