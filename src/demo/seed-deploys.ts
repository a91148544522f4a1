import { recordDeploy, recordIncident, resolveIncident } from '../app/record-metrics.js';
import type { Policy } from '../policy/schema.js';
import { insertRollback, runningDeployment, updateDeployment } from '../store/deployments.js';
import type { Store } from '../store/open-store.js';
import { writeTransaction } from '../store/write-transaction.js';
import type { DemoTag } from './demo-history.js';
import { PEOPLE } from './demo-people.js';

const HOUR = 3_600_000;

/** A component's release tag (`billing/v2.4.0`, `platform-identity-v1.5.0`); the platform bundle's (`platform/v3.2.0`) is not a deploy. */
function taggedVersion(tag: string): { component: string; version: string } | null {
  const match = /^(?:platform-)?([a-z][a-z-]*?)(?:\/v|-v)(\d+\.\d+\.\d+)$/.exec(tag);
  if (match === null || tag.startsWith('platform/')) return null;
  return { component: match[1] as string, version: match[2] as string };
}

/**
 * The demo's deploy history, so the Metrics page has something to show: each version its git history
 * tagged went to staging two hours after its tag and to production the next day at noon (UTC);
 * inventory's first minor of the story was rolled back 40 minutes after it reached production; the
 * customer portal's incident (other tenants' addresses) was opened on day 75 and mitigated in 90
 * minutes; customer's emergency release went out on the evening of day 85. Recorded through the
 * functions `shipgate record deploy/incident/resolve` use, so the rows are the ones a team would have.
 */
export async function seedDeploys(options: { store: Store; policy: Policy; tags: readonly DemoTag[]; start: number; emergency: string }): Promise<void> {
  const { store, policy, start } = options;
  const day = (n: number, hour: number) => new Date(start + n * 24 * HOUR + hour * HOUR);
  const deploy = (ref: string, environment: string, at: Date) => recordDeploy({ store, policy, ref, environment, at, failed: false, actor: PEOPLE.priya.email, source: 'demo' });
  for (const tag of [...options.tags].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const shipped = taggedVersion(tag.name);
    if (shipped === null) continue;
    const ref = `${shipped.component}@${shipped.version}`;
    await deploy(ref, 'staging', new Date(tag.at.getTime() + 2 * HOUR));
    const production = new Date(tag.at.getTime() + 26 * HOUR);
    await deploy(ref, 'production', production);
    if (ref === ROLLED_BACK) await rollBack(store, shipped.component, new Date(production.getTime() + 40 * 60_000));
  }
  await recordIncident({ store, id: 'INC-7', component: 'customer', at: day(75, 10), actor: PEOPLE.sam.email, source: 'demo' });
  await resolveIncident({ store, id: 'INC-7', at: day(75, 11.5) });
  await deploy(options.emergency, 'staging', day(85, 18));
  await deploy(options.emergency, 'production', day(85, 20));
}

/** The version whose production deploy the demo rolls back. */
const ROLLED_BACK = 'inventory@1.7.0';

/** A rollback to the version that ran before, rolled out at `at`: as `shipgate rollback` leaves its rows, without a target to run it on. */
async function rollBack(store: Store, component: string, at: Date): Promise<void> {
  await writeTransaction(store.db, store.dialect, async (db) => {
    const tx = { db, dialect: store.dialect };
    const bad = await runningDeployment(tx, component, 'production');
    if (bad === undefined || bad.previousVersion === null) throw new Error(`the demo has no earlier ${component} to roll back to`);
    const rollback = { releaseId: null, component, environment: 'production', version: bad.previousVersion, releaseType: null, kind: 'rollback' as const, previousVersion: bad.version, phase: 'done' as const, pipeline: false, actor: PEOPLE.jonas.email, reason: 'error rate doubled after the deploy', startedAt: at.toISOString() };
    const row = await insertRollback(tx, rollback, bad, at.toISOString());
    await updateDeployment(tx, row.id, { rolledOutAt: at.toISOString(), finishedAt: at.toISOString(), outcome: 'succeeded' });
  });
}
