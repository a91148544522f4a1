import { approveRelease } from '../app/approve-release.js';
import { checkRelease } from '../app/check-release.js';
import { createRelease } from '../app/create-release.js';
import { recordNotice } from '../app/record-notice.js';
import { transitionRelease } from '../app/transition-release.js';
import { waiveGate } from '../app/waive-gate.js';
import type { GoverningPolicy } from '../app/governing-policy.js';
import type { Store } from '../store/open-store.js';
import { PEOPLE } from './demo-people.js';

/**
 * The demo's release records, made through the same use cases as the CLI and the API (so every event
 * is in the log, with who and when): billing, a candidate whose tests fail; identity, waiting for its
 * tech lead; inventory, approved; customer, an emergency in production that owes its post-mortem.
 */
export async function seedReleases(options: { store: Store; governing: GoverningPolicy; cwd: string; now: Date }): Promise<string[]> {
  const { store, cwd, now } = options;
  const { policy, codeowners } = options.governing;
  const common = { store, policy, codeowners, cwd };
  const open = (component: string, type: 'scheduled' | 'emergency' = 'scheduled') => createRelease({ store, policy, cwd, component, type, actor: PEOPLE.priya.email, now });

  const billing = await open('billing');
  await approveRelease({ ...common, ref: billing.id, role: 'module-team', comment: 'proration reads well', actor: PEOPLE.jonas.email });

  const identity = await open('identity');
  await recordNotice({ ...common, ref: identity.id, comment: 'announced in #platform-announce', actor: PEOPLE.priya.email });
  await waiveGate({ ...common, ref: identity.id, gate: 'versioning.notice', reason: 'back-channel logout is opt-in; integrators were told at the platform sync', actor: PEOPLE.omar.email });
  await approveRelease({ ...common, ref: identity.id, role: 'module-team', actor: PEOPLE.noor.email });
  await approveRelease({ ...common, ref: identity.id, role: 'module-team', comment: 'tested against Keycloak and Entra', actor: PEOPLE.li.email });

  const inventory = await open('inventory');
  await approveRelease({ ...common, ref: inventory.id, role: 'module-owner', comment: 'lot numbers verified on staging data', actor: PEOPLE.maria.email });

  const customer = await open('customer', 'emergency');
  await checkRelease({ ...common, ref: customer.id, now, record: true });
  await transitionRelease({ store, ref: customer.id, to: 'staging', reason: 'emergency: the portal showed other tenants\' addresses', actor: PEOPLE.priya.email });
  await transitionRelease({ store, ref: customer.id, to: 'production', reason: 'emergency fix deployed', actor: PEOPLE.priya.email });

  return [billing.id, identity.id, inventory.id, customer.id];
}
