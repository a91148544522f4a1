import { recordDeploy, recordIncident, resolveIncident } from '../../src/app/record-metrics.js';
import { builtinPolicy } from '../../src/policy/parse-policy.js';
import { insertDeployment, updateDeployment, type Deployment } from '../../src/store/deployments.js';
import type { Store } from '../../src/store/open-store.js';
import { createRelease } from '../../src/store/releases.js';

/*
 * A small history whose every figure is worked out by hand in test/metrics-history.test.ts. The policy's time zone is
 * America/Los_Angeles; in February it is UTC-8, so `local('2026-02-10T22:00')` is 06:00 UTC on the 11th.
 * The window is two ISO weeks, Monday 2026-02-02 to Sunday 2026-02-15 (14 days).
 *
 *  #  production deploy                         local time         what happened after
 *  1  billing@1.1.0 (scheduled, minor)          Tue 02-03 10:00    repaired by hotfix 1.1.1         -> failed (hotfix)
 *  2  billing@1.1.1 (hotfix, patch)             Tue 02-03 12:00
 *  3  identity@2.0.1 (scheduled, patch)         Wed 02-04 10:00    rolled back to 2.0.0 at 10:30     -> failed (rollback)
 *  4  billing@1.2.0 (scheduled, minor)          Tue 02-10 22:00    INC-1 opens 23:30, resolved 00:45 -> failed (incident)
 *  5  identity@2.0.2 (recorded, no release)     Thu 02-12 09:00
 *  6  billing@1.2.1 (recorded --failed)         Fri 02-13 15:00                                      -> failed
 *  7  billing@1.2.2 (recorded)                  Fri 02-13 15:40
 *  plus a staging deploy (not counted) and the rollback row of #3 (a rollback, not a deploy).
 */
export const local = (wallClock: string) => new Date(`${wallClock}:00-08:00`).toISOString();
const sha = (n: number) => n.toString(16).padStart(40, 'c');
export const HOUR = 3600;

export const policy = builtinPolicy();

export async function release(store: Store, component: string, kind: string, version: string, bump: 'major' | 'minor' | 'patch', type: 'scheduled' | 'hotfix', commits: { n: number; authored: string; type: string | null }[]) {
  await createRelease(
    store,
    { component, kind, path: `x/${component}`, version, tag: `${component}/v${version}`, lastTag: null, bump, type, breaking: false, state: 'approved', trainDate: null, commit: sha(999), createdBy: 'rel@example.com' },
    { kind: 'created', commit: sha(999), reasons: [], commits: commits.map((c) => ({ sha: sha(c.n), authoredAt: local(c.authored), type: c.type })) },
  );
}

/** A deploy as shipgate's pipeline writes it: started, rolled out, finished with an outcome. */
export async function ran(store: Store, component: string, version: string, type: string, environment: string, at: string, outcome: 'succeeded' | 'rolled-back', kind: 'deploy' | 'rollback' = 'deploy'): Promise<Deployment> {
  const row = await insertDeployment(store, { releaseId: kind === 'deploy' ? `${component}@${version}` : null, component, environment, version, releaseType: type, kind, previousVersion: null, phase: 'deploy', pipeline: true, actor: 'shipgate', reason: null, startedAt: local(at) });
  return updateDeployment(store, row.id, { phase: 'done', rolledOutAt: local(at), finishedAt: local(at), outcome });
}

export async function history(store: Store): Promise<void> {
  // Lead times (commit authored -> its first production deploy):
  //   c1 feat Mon 02-02 09:00 -> #1 Tue 10:00 = 25 h     c2 fix  Mon 02-02 13:00 -> #1 = 21 h
  //   c3 fix  Tue 02-03 11:00 -> #2 Tue 12:00 =  1 h     c4 fix  Wed 02-04 08:00 -> #3 Wed 10:00 = 2 h
  //   c5 feat Mon 02-09 10:00 -> #4 Tue 22:00 = 36 h     c6 chore Tue 02-10 08:00 -> #4 = 14 h
  await release(store, 'billing', 'module', '1.1.0', 'minor', 'scheduled', [{ n: 1, authored: '2026-02-02T09:00', type: 'feat' }, { n: 2, authored: '2026-02-02T13:00', type: 'fix' }]);
  await release(store, 'billing', 'module', '1.1.1', 'patch', 'hotfix', [{ n: 3, authored: '2026-02-03T11:00', type: 'fix' }]);
  await release(store, 'identity', 'platform', '2.0.1', 'patch', 'scheduled', [{ n: 4, authored: '2026-02-04T08:00', type: 'fix' }]);
  // c1 rides 1.2.0 too (a product carries it again): its first production deploy stays #1.
  await release(store, 'billing', 'module', '1.2.0', 'minor', 'scheduled', [{ n: 5, authored: '2026-02-09T10:00', type: 'feat' }, { n: 6, authored: '2026-02-10T08:00', type: 'chore' }, { n: 1, authored: '2026-02-02T09:00', type: 'feat' }]);

  await ran(store, 'billing', '1.1.0', 'scheduled', 'staging', '2026-02-02T15:00', 'succeeded');
  await ran(store, 'billing', '1.1.0', 'scheduled', 'production', '2026-02-03T10:00', 'succeeded');
  await ran(store, 'billing', '1.1.1', 'hotfix', 'production', '2026-02-03T12:00', 'succeeded');
  const bad = await ran(store, 'identity', '2.0.1', 'scheduled', 'production', '2026-02-04T10:00', 'rolled-back');
  const back = await ran(store, 'identity', '2.0.0', 'scheduled', 'production', '2026-02-04T10:30', 'succeeded', 'rollback');
  await updateDeployment(store, bad.id, { rolledBackBy: back.id });
  await ran(store, 'billing', '1.2.0', 'scheduled', 'production', '2026-02-10T22:00', 'succeeded');
  // An incident that spans midnight in Los Angeles: 23:30 to 00:45 the next day = 75 min.
  await recordIncident({ store, id: 'INC-1', component: 'billing', at: new Date(local('2026-02-10T23:30')), actor: 'oncall@example.com', source: 'cli' });
  await resolveIncident({ store, id: 'INC-1', at: new Date(local('2026-02-11T00:45')) });
  // Deploys shipgate only hears about: no release, so no commits; their bump comes from the version they replaced.
  const told = (ref: string, at: string, failed = false) => recordDeploy({ store, policy, ref, environment: 'production', at: new Date(local(at)), failed, actor: 'ci@example.com', source: 'cli' });
  await told('identity@2.0.2', '2026-02-12T09:00');
  await told('billing@1.2.1', '2026-02-13T15:00', true);
  await told('billing@1.2.2', '2026-02-13T15:40');
}
