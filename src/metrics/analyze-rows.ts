import semver from 'semver';
import { bucketOf, type Buckets } from './calendar-buckets.js';
import type { DeployRow, IncidentRow, LeadStats, MetricRows } from './types.js';

/** Why a production deploy counts as a failed change. */
export type FailureCause = 'failed' | 'rollback' | 'hotfix' | 'incident';

/** A production deploy that finished (or rolled out), with what it turned out to need. */
export interface CountedDeploy {
  readonly id: number;
  readonly component: string;
  readonly train: string | null;
  readonly version: string;
  readonly atMs: number;
  /** major | minor | patch, from the release, else from the version it replaced; null when unknown. */
  readonly bump: string | null;
  readonly causes: readonly FailureCause[];
  /** Its day, week and month on the window's calendar (indices; -1 outside it), found once for every figure that counts them. */
  readonly day: number;
  readonly week: number;
  readonly month: number;
}

/** A failure (an incident, or a failed deploy no incident covers) and how long service took to come back; null while it has not. */
export interface Restore {
  readonly kind: 'incident' | 'deploy';
  readonly ref: string;
  readonly component: string | null;
  readonly train: string | null;
  readonly startMs: number;
  readonly seconds: number | null;
}

export interface Analysis {
  readonly deploys: readonly CountedDeploy[];
  readonly restores: readonly Restore[];
  /** The scope's lead times, reduced by the store to the window already. */
  readonly lead: LeadStats;
}

export const NO_LEADS: LeadStats = { commits: 0, medianSeconds: null, p90Seconds: null, feature: { commits: 0, medianSeconds: null, p90Seconds: null } };

const REPAIRS = new Set(['hotfix', 'emergency']);
const NO_CAUSES: readonly FailureCause[] = Object.freeze([]);

/**
 * Works out, once for every row loaded, which production deploys were failed changes and why, each
 * restore, and each deploy's day, week and month on the window's calendar; figures for any scope or
 * period then only filter by time and count. Lead times come reduced from
 * the store (rows.leads): the scope's stats ride along.
 *
 * - A deploy is counted once it finished or rolled out (one still running is not yet a deploy).
 * - It is a failed change (DORA; Four Keys' change_failure_rate.sql joins deploys to the incidents they
 *   caused) when it failed, was rolled back, was followed by a hotfix or emergency release of its
 *   component (the hotfix repairs it), or an incident opened while it was the component's latest
 *   production deploy (an incident with no component: the organization's latest).
 * - Time to restore: an incident from opened to resolved (Four Keys' time_to_restore_services.sql);
 *   a failed deploy no incident covers, from its deploy to the next deployment of its component that
 *   succeeded (the rollback, the hotfix or the next release).
 */
export function analyzeRows(rows: MetricRows, calendar: { readonly days: Buckets; readonly weeks: Buckets; readonly months: Buckets }): Analysis {
  const ordered = [...rows.deploys].sort((a, b) => a.atMs - b.atMs || a.id - b.id);
  const byComponent = new Map<string, DeployRow[]>();
  for (const row of ordered) {
    const list = byComponent.get(row.component) ?? [];
    list.push(row);
    byComponent.set(row.component, list);
  }
  const counted = (row: DeployRow) => row.kind === 'deploy' && (row.outcome !== null || row.rolledOut);
  const countedByComponent = new Map([...byComponent].map(([component, list]) => [component, list.filter(counted)] as const));
  const incidentsOf = attributeIncidents(rows.incidents, countedByComponent, ordered.filter(counted));

  const deploys: CountedDeploy[] = [];
  const restores: Restore[] = [];
  const trainOf = (component: string) => rows.trains.get(component) ?? null;
  for (const [component, list] of byComponent) {
    const train = trainOf(component);
    // For each row, the next counted deploy and the next deployment that succeeded after it: one backward pass.
    const nextCounted: (DeployRow | undefined)[] = [];
    const nextSucceeded: (DeployRow | undefined)[] = [];
    let counting: DeployRow | undefined;
    let succeeding: DeployRow | undefined;
    for (let index = list.length - 1; index >= 0; index -= 1) {
      nextCounted[index] = counting;
      nextSucceeded[index] = succeeding;
      const row = list[index] as DeployRow;
      if (counted(row)) counting = row;
      if (row.outcome === 'succeeded' && row.rolledOut) succeeding = row;
    }
    let previousVersion: string | null = null;
    list.forEach((row, index) => {
      if (!counted(row)) return;
      const causes: FailureCause[] = [];
      if (row.outcome === 'failed') causes.push('failed');
      if (row.outcome === 'rolled-back' || row.rolledBack) causes.push('rollback');
      const next = nextCounted[index];
      if (next !== undefined && next.releaseType !== null && REPAIRS.has(next.releaseType)) causes.push('hotfix');
      const incidents = incidentsOf.get(row.id) ?? [];
      if (incidents.length > 0) causes.push('incident');
      const atMs = row.atMs;
      const bump = row.bump ?? bumpBetween(row.previousVersion ?? previousVersion, row.version);
      // Most deploys need nothing: they share one empty list.
      deploys.push({ id: row.id, component, train, version: row.version, atMs, bump, causes: causes.length === 0 ? NO_CAUSES : causes, day: bucketOf(calendar.days, atMs), week: bucketOf(calendar.weeks, atMs), month: bucketOf(calendar.months, atMs) });
      previousVersion = row.version;
      if (causes.length > 0 && incidents.length === 0) {
        const restored = nextSucceeded[index];
        restores.push({ kind: 'deploy', ref: `${component}@${row.version}`, component, train, startMs: atMs, seconds: restored === undefined ? null : (restored.atMs - atMs) / 1000 });
      }
    });
  }
  for (const incident of rows.incidents) {
    const startMs = Date.parse(incident.openedAt);
    const seconds = incident.resolvedAt === null ? null : Math.max(0, (Date.parse(incident.resolvedAt) - startMs) / 1000);
    restores.push({ kind: 'incident', ref: incident.id, component: incident.component, train: incident.component === null ? null : trainOf(incident.component), startMs, seconds });
  }
  return { deploys, restores, lead: rows.leads.scope };
}

/** Each incident blames the latest counted deploy before it opened: of its component, else of any component. */
function attributeIncidents(incidents: readonly IncidentRow[], countedByComponent: ReadonlyMap<string, readonly DeployRow[]>, all: readonly DeployRow[]): Map<number, IncidentRow[]> {
  const blamed = new Map<number, IncidentRow[]>();
  for (const incident of incidents) {
    const candidates = incident.component === null ? all : (countedByComponent.get(incident.component) ?? []);
    const culprit = latestAtOrBefore(candidates, Date.parse(incident.openedAt));
    if (culprit === undefined) continue;
    blamed.set(culprit.id, [...(blamed.get(culprit.id) ?? []), incident]);
  }
  return blamed;
}

/** The last row (ordered by time) at or before `atMs`, by binary search. */
function latestAtOrBefore(rows: readonly DeployRow[], atMs: number): DeployRow | undefined {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((rows[middle] as DeployRow).atMs <= atMs) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : rows[low - 1];
}

function bumpBetween(previous: string | null, version: string): string | null {
  if (previous === null || semver.valid(previous) === null || semver.valid(version) === null) return null;
  const diff = semver.diff(previous, version);
  if (diff === null) return null;
  return diff.replace(/^pre/, '');
}
