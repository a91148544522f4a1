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
  /** When production ran it: rolled out, else finished, else started (epoch ms). */
  readonly atMs: number;
  readonly rolledOut: boolean;
  readonly outcome: 'succeeded' | 'failed' | 'rolled-back' | 'paused' | null;
  /** A rollback undid it. */
  readonly rolledBack: boolean;
}

export interface IncidentRow {
  readonly id: string;
  readonly component: string | null;
  readonly openedAt: string;
  readonly resolvedAt: string | null;
}

/** The lead times of a set of commits, already reduced by the store (there are many): how many, their median and p90 (PERCENTILE_CONT), and the same for feature commits. */
export interface LeadStats {
  readonly commits: number;
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
  readonly feature: { readonly commits: number; readonly medianSeconds: number | null; readonly p90Seconds: number | null };
}

/**
 * Lead times (each commit's author time to its first production deploy) of the commits first
 * deployed inside the window and the scope, for the scope as a whole, each component, each train and
 * each of the window's weeks (by index into its weeks); a part with no commits is absent.
 */
export interface LeadTimes {
  readonly scope: LeadStats;
  readonly components: ReadonlyMap<string, LeadStats>;
  readonly trains: ReadonlyMap<string, LeadStats>;
  readonly weeks: ReadonlyMap<number, LeadStats>;
}

export interface MetricRows {
  readonly deploys: readonly DeployRow[];
  readonly incidents: readonly IncidentRow[];
  readonly leads: LeadTimes;
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
