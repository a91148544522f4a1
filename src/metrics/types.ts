/** What the metrics read, as plain rows: the store's adapters fill them, the core never queries. */

/** A deployment to the production environment (a deploy shipgate ran or was told about, or a rollback). */
export interface DeployRow {
  readonly id: number;
  readonly component: string;
  readonly version: string;
  readonly kind: 'deploy' | 'rollback';
  readonly releaseType: string | null;
  /** The release's bump when shipgate made it; null for a deploy it was only told about. */
  readonly bump: string | null;
  readonly previousVersion: string | null;
  readonly startedAt: string;
  /** When production ran it: rolled out, else finished, else started (UTC ISO). */
  readonly at: string;
  readonly rolledOut: boolean;
  readonly outcome: 'succeeded' | 'failed' | 'rolled-back' | 'paused' | null;
  readonly rolledBackBy: number | null;
}

export interface IncidentRow {
  readonly id: string;
  readonly component: string | null;
  readonly openedAt: string;
  readonly resolvedAt: string | null;
}

/** A commit and the first production deploy that carried it (aggregated by the store, times as numbers: there are many). */
export interface CommitRow {
  readonly component: string;
  readonly feature: boolean;
  /** When that deploy reached production, epoch ms. */
  readonly deployedMs: number;
  /** From the commit's author time to that deploy. */
  readonly leadSeconds: number;
}

export interface MetricRows {
  readonly deploys: readonly DeployRow[];
  readonly incidents: readonly IncidentRow[];
  readonly commits: readonly CommitRow[];
  /** The train each component rides, where known. */
  readonly trains: ReadonlyMap<string, string | null>;
}

export type Cadence = 'daily' | 'weekly' | 'biweekly' | 'monthly';

/** The policy's targets, in seconds and fractions. */
export interface MetricTargets {
  readonly commitToDeploySeconds: number;
  readonly featureToProductionSeconds: number;
  readonly patch: Cadence;
  readonly minor: Cadence;
  readonly changeFailureRateBelow: number;
  readonly timeToRestoreBelowSeconds: number;
}

/** [since, until) in UTC, and the time zone whose days, weeks and months count. */
export interface MetricWindow {
  readonly since: Date;
  readonly until: Date;
  readonly zone: string;
}

/** elite/high/medium/low as the DORA report buckets a figure; "no data" where the window has nothing to measure. */
export type Level = 'elite' | 'high' | 'medium' | 'low' | 'no data';
