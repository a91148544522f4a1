import { afterEach, describe, expect, it } from 'vitest';
import { bucketOf, calendarBuckets } from '../src/metrics/calendar-buckets.js';
import { quantiles } from '../src/metrics/stats.js';
import type { LeadStats } from '../src/metrics/types.js';
import { insertDeployment, updateDeployment } from '../src/store/deployments.js';
import { loadLeadTimes } from '../src/store/lead-times.js';
import type { Store } from '../src/store/open-store.js';
import { createRelease } from '../src/store/releases.js';
import { freshStore, storeBackends } from './helpers/stores.js';

/*
 * The store reduces lead times to count, median and p90 itself (PERCENTILE_CONT), so no commit rows
 * reach Node. Those figures must be the ones the core's own percentile gives over the same commits,
 * to the last bit, on both stores: checked here against a plain computation in the test over a
 * history with odd times, a commit carried by two releases, a commit dated after its deploy, deploys
 * outside the window and one that never rolled out.
 */
const sha = (n: number) => n.toString(16).padStart(40, 'a');
const HOUR = 3_600_000;
const ZONE = 'America/Los_Angeles';
const since = Date.parse('2026-03-02T08:00:00.000Z');
const until = Date.parse('2026-03-23T07:00:00.000Z');

interface Carried {
  readonly n: number;
  readonly authoredMs: number;
  readonly feature: boolean;
}

function history(): { component: string; version: string; deployedMs: number; rolledOut: boolean; commits: Carried[] }[] {
  let seed = 7;
  const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  const releases: { component: string; version: string; deployedMs: number; rolledOut: boolean; commits: Carried[] }[] = [];
  let n = 0;
  for (let r = 0; r < 14; r += 1) {
    const component = ['billing', 'identity', 'ledger'][r % 3] as string;
    // From a week before the window to a few days after it, at odd milliseconds.
    let deployedMs = since - 7 * 24 * HOUR + Math.floor(next() * 32 * 24 * HOUR);
    // Billing's first and last releases both inside the window: the last carries a commit of the first again.
    if (r === 0 || r === 12) deployedMs = since + (r === 0 ? 2 : 9) * 24 * HOUR + 123;
    const commits = Array.from({ length: 1 + (r % 4) }, () => ({ n: (n += 1), authoredMs: deployedMs - Math.floor(next() * 90 * HOUR) - 1, feature: next() < 0.3 }));
    releases.push({ component, version: `1.${r}.0`, deployedMs, rolledOut: r !== 5, commits });
  }
  // A commit dated after the deploy that carried it (a skewed clock), and one carried again by a later release.
  const skewed = releases[2]!;
  skewed.commits.push({ n: (n += 1), authoredMs: skewed.deployedMs + HOUR, feature: false });
  const again = releases.findLast((release) => release.component === releases[0]!.component)!;
  again.commits.push(releases[0]!.commits[0]!);
  return releases;
}

describe.each(storeBackends())('lead times reduced by the store on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('gives the count, median and p90 the core would, for the scope, each component, train and week', async () => {
    ({ store } = await freshStore(backend));
    const releases = history();
    for (const release of releases) {
      const { component, version } = release;
      await createRelease(
        store,
        { component, kind: 'module', path: `x/${component}`, version, tag: `${component}/v${version}`, lastTag: null, bump: 'minor', type: 'scheduled', breaking: false, state: 'approved', trainDate: null, commit: sha(999), createdBy: 'rel@example.com' },
        { kind: 'created', commit: sha(999), reasons: [], commits: release.commits.map((c) => ({ sha: sha(c.n), authoredAt: new Date(c.authoredMs).toISOString(), type: c.feature ? 'feat' : 'fix' })) },
      );
      const at = new Date(release.deployedMs).toISOString();
      const row = await insertDeployment(store, { releaseId: `${component}@${version}`, component, environment: 'production', version, releaseType: 'scheduled', kind: 'deploy', previousVersion: null, phase: 'deploy', pipeline: true, actor: 'shipgate', reason: null, startedAt: at });
      if (release.rolledOut) await updateDeployment(store, row.id, { phase: 'done', rolledOutAt: at, finishedAt: at, outcome: 'succeeded' });
    }
    const weeks = calendarBuckets({ since: new Date(since), until: new Date(until), zone: ZONE }).weeks;
    const trains = new Map([['billing', 'module'], ['identity', 'platform'], ['ledger', 'module']]);
    const leads = await loadLeadTimes(store, { environment: 'production', since, until, weekStarts: weeks.starts, trains });

    // The plain way: each (component, sha) at its first rolled-out deploy, in the window, not before its author time.
    const first = new Map<string, { component: string; deployedMs: number; seconds: number; feature: boolean }>();
    for (const release of releases.filter((r) => r.rolledOut)) {
      for (const commit of release.commits) {
        const key = `${release.component} ${commit.n}`;
        const seen = first.get(key);
        if (seen === undefined || release.deployedMs < seen.deployedMs) first.set(key, { component: release.component, deployedMs: release.deployedMs, seconds: (release.deployedMs - commit.authoredMs) / 1000, feature: commit.feature });
      }
    }
    const counted = [...first.values()].filter((c) => c.deployedMs >= since && c.deployedMs < until && c.seconds >= 0);
    const stats = (part: typeof counted): LeadStats => {
      const [medianSeconds = null, p90Seconds = null] = quantiles(part.map((c) => c.seconds), [0.5, 0.9]);
      const features = part.filter((c) => c.feature).map((c) => c.seconds);
      const [featureMedian = null, featureP90 = null] = quantiles(features, [0.5, 0.9]);
      return { commits: part.length, medianSeconds, p90Seconds, feature: { commits: features.length, medianSeconds: featureMedian, p90Seconds: featureP90 } };
    };
    const by = (key: (c: (typeof counted)[number]) => string | number) => {
      const parts = new Map<string | number, typeof counted>();
      for (const c of counted) parts.set(key(c), [...(parts.get(key(c)) ?? []), c]);
      return new Map([...parts].map(([name, part]) => [name, stats(part)]));
    };

    expect(counted.length).toBeGreaterThan(10);
    expect(leads.scope).toEqual(stats(counted));
    expect(leads.components).toEqual(by((c) => c.component));
    expect(leads.trains).toEqual(by((c) => trains.get(c.component) as string));
    expect(leads.weeks).toEqual(by((c) => bucketOf(weeks, c.deployedMs)));
    expect(leads.weeks.size).toBeGreaterThan(1);

    // A scope of one train's components: only theirs.
    const platform = await loadLeadTimes(store, { environment: 'production', since, until, weekStarts: weeks.starts, trains, components: ['identity'] });
    expect(platform.scope).toEqual(stats(counted.filter((c) => c.component === 'identity')));
    expect([...platform.components.keys()]).toEqual(['identity']);
  });
});
