import { ShipgateError } from '../errors/shipgate-error.js';
import type { Policy } from '../policy/schema.js';

/**
 * With `identity.requireServer`, who approves or waives must be proven by a server token: a local
 * CLI's identity is `git config user.email`, which anyone can set. The server passes the token's id;
 * a local command has none and is refused before anything is read or written.
 */
export function assertThroughServer(policy: Policy, what: 'approvals' | 'waivers', tokenId: string | undefined): void {
  if (!policy.identity.requireServer || tokenId !== undefined) return;
  throw new ShipgateError('ESERVERONLY', `the policy takes ${what} only through the shipgate server (identity.requireServer): a local ${what === 'approvals' ? 'approval' : 'waiver'} is refused`, {
    category: 'forbidden',
    hint: `ask an admin for a token (shipgate token create) and send it to the server: POST /api/v1/releases/<release>/${what}`,
  });
}
