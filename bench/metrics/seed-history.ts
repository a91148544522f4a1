/**
 * A year of release history, made in memory once and written to either store in bulk: 40 components
 * releasing about daily (a product train's worth of releases for each), each release's event log
 * (created with the commits it carries, approvals, transitions, deploy steps, analysis rounds), a
 * staging and a production deployment per release (some rolled back, some repaired by a hotfix) and a
 * few hundred incidents. Deterministic: the same rows every run.
 */
export interface SeedRows {
  readonly releases: readonly (readonly unknown[])[];
  readonly events: readonly (readonly unknown[])[];
  readonly deployments: readonly (readonly unknown[])[];
  readonly incidents: readonly (readonly unknown[])[];
}

export const RELEASE_COLUMNS = ['id', 'component', 'kind', 'path', 'version', 'tag', 'last_tag', 'bump', 'type', 'breaking', 'state', 'train_date', 'commit_sha', 'created_by', 'created_at', 'updated_at', 'seq', 'postmortem_url'] as const;
export const EVENT_COLUMNS = ['release_id', 'seq', 'at', 'actor', 'kind', 'data_version', 'data'] as const;
export const DEPLOYMENT_COLUMNS = ['id', 'release_id', 'component', 'environment', 'version', 'release_type', 'kind', 'previous_version', 'phase', 'pipeline', 'actor', 'reason', 'started_at', 'rolled_out_at', 'finished_at', 'outcome', 'rolled_back_by', 'bump'] as const;
export const INCIDENT_COLUMNS = ['id', 'component', 'opened_at', 'resolved_at', 'source', 'actor', 'recorded_at'] as const;

const HOUR = 3_600_000;

export function seedHistory(options: { events: number; start: Date; days: number; components: number }): SeedRows {
  let random = 42;
  const next = () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return random / 2_147_483_648;
  };
  const hex = (n: number) => n.toString(16).padStart(40, '0');
  const iso = (ms: number) => new Date(ms).toISOString();
  const releases: unknown[][] = [];
  const events: unknown[][] = [];
  const deployments: unknown[][] = [];
  const incidents: unknown[][] = [];
  const perRelease = 68;
  const total = Math.ceil(options.events / perRelease);
  const span = options.days * 24 * HOUR;
  const versions = new Map<string, [number, number, number]>();
  let deploymentId = 0;
  let commitCounter = 0;
  let eventsLeft = options.events;
  for (let r = 0; r < total; r += 1) {
    const c = r % options.components;
    const component = `component-${String(c).padStart(2, '0')}`;
    const kind = c < options.components * 0.75 ? 'module' : 'platform';
    const createdMs = options.start.getTime() + Math.floor((r / total) * span);
    const hotfix = next() < 0.03;
    const minor = !hotfix && next() < 0.2;
    const [major, mi, pa] = versions.get(component) ?? [1, 0, 0];
    const version: [number, number, number] = minor ? [major, mi + 1, 0] : [major, mi, pa + 1];
    const previous = `${major}.${mi}.${pa}`;
    versions.set(component, version);
    const v = version.join('.');
    const id = `${component}@${v}`;
    const commits = Array.from({ length: 5 }, (_, i) => ({ sha: hex((commitCounter += 1)), authoredAt: iso(createdMs - (i + 1) * 3 * HOUR * next()), type: i === 0 && minor ? 'feat' : 'fix' }));
    const count = Math.min(perRelease, eventsLeft);
    eventsLeft -= count;
    const stagingMs = createdMs + 2 * HOUR;
    const productionMs = stagingMs + 26 * HOUR;
    const bump = minor ? 'minor' : 'patch';
    releases.push([id, component, kind, `${kind}s/${component}`, v, `${component}/v${v}`, `${component}/v${previous}`, bump, hotfix ? 'hotfix' : 'scheduled', 0, 'verified', null, hex(9_000_000 + r), 'rel@example.com', iso(createdMs), iso(productionMs), count, null]);
    for (let seq = 1; seq <= count; seq += 1) {
      const at = iso(createdMs + seq * 60_000);
      if (seq === 1) events.push([id, seq, iso(createdMs), 'rel@example.com', 'created', 2, JSON.stringify({ kind: 'created', commit: hex(9_000_000 + r), reasons: ['fix: a fix -> patch'], commits })]);
      else if (seq % 5 === 0) events.push([id, seq, at, 'lead@example.com', 'approval', 1, JSON.stringify({ kind: 'approval', role: 'tech-lead', commit: hex(9_000_000 + r), comment: null })]);
      else if (seq % 3 === 0) events.push([id, seq, at, 'shipgate', 'deploy', 1, JSON.stringify({ kind: 'deploy', environment: 'staging', deployment: 1, version: v, step: 'started', detail: null })]);
      else events.push([id, seq, at, 'shipgate', 'analysis', 1, JSON.stringify({ kind: 'analysis', environment: 'production', deployment: 1, round: seq, phase: 'successful', measurements: [], reason: null })]);
    }
    deploymentId += 1;
    deployments.push([deploymentId, id, component, 'staging', v, hotfix ? 'hotfix' : 'scheduled', 'deploy', previous, 'done', 1, 'shipgate', null, iso(stagingMs), iso(stagingMs + 300_000), iso(stagingMs + 900_000), 'succeeded', null, bump]);
    deploymentId += 1;
    const rolledBack = next() < 0.04;
    const production = deploymentId;
    deployments.push([production, id, component, 'production', v, hotfix ? 'hotfix' : 'scheduled', 'deploy', previous, 'done', 1, 'shipgate', null, iso(productionMs), iso(productionMs + 300_000), iso(productionMs + 900_000), rolledBack ? 'rolled-back' : 'succeeded', rolledBack ? production + 1 : null, bump]);
    if (rolledBack) {
      deploymentId += 1;
      deployments.push([deploymentId, null, component, 'production', previous, null, 'rollback', v, 'done', 0, 'shipgate', 'analysis failed', iso(productionMs + 1_200_000), iso(productionMs + 1_500_000), iso(productionMs + 1_500_000), 'succeeded', null, null]);
    }
    if (next() < 0.015) incidents.push([`INC-${r}`, component, iso(productionMs + 2 * HOUR), iso(productionMs + 2 * HOUR + Math.floor(next() * 3 * HOUR)), 'cli', 'oncall@example.com', iso(productionMs + 2 * HOUR)]);
  }
  return { releases, events, deployments, incidents };
}
