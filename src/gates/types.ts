import type { Measurement, RunPhase } from '../analysis/types.js';
import type { NextStep } from '../errors/next-step.js';
import type { Bump, ReleaseType } from '../policy/schema.js';

/** The release lifecycle (ARCHITECTURE.md). Only the store moves a release between them, in a transaction. */
export const RELEASE_STATES = [
  'planned',
  'frozen',
  'candidate',
  'approved',
  'staging',
  'soaking',
  'production',
  'verified',
  'rolled-back',
  'abandoned',
] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

/** States after which approvals, waivers and notices no longer change anything. */
export const CLOSED_STATES: readonly ReleaseState[] = ['production', 'verified', 'rolled-back', 'abandoned'];

export interface ReleaseRecord {
  /** `component@version`, the name people type. */
  readonly id: string;
  readonly component: string;
  readonly kind: string;
  /** The component's directory in the repository ('' for the root). */
  readonly path: string;
  readonly version: string;
  readonly tag: string | null;
  readonly lastTag: string | null;
  readonly bump: Bump;
  readonly type: ReleaseType;
  readonly breaking: boolean;
  readonly state: ReleaseState;
  /** The train date (YYYY-MM-DD) a scheduled release rides; null for on-demand releases. */
  readonly trainDate: string | null;
  /** The candidate commit: approvals count only for the commit they were given to. */
  readonly commit: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Number of events so far; every change bumps it in the same transaction (optimistic concurrency). */
  readonly seq: number;
  readonly postmortemUrl: string | null;
}

/** A commit a release carries, as its `created` event records it (for lead time). */
export interface CarriedCommit {
  readonly sha: string;
  /** Author time, UTC ISO with milliseconds. */
  readonly authoredAt: string;
  /** The Conventional Commit type (feat, fix…); null for a commit that is not one. */
  readonly type: string | null;
}

export type EventData =
  /** `commits` is null for releases created before shipgate recorded them. */
  | { readonly kind: 'created'; readonly commit: string; readonly reasons: readonly string[]; readonly commits: readonly CarriedCommit[] | null }
  | { readonly kind: 'candidate'; readonly commit: string; readonly previous: string }
  | { readonly kind: 'approval'; readonly role: string; readonly commit: string; readonly comment: string | null }
  | { readonly kind: 'waiver'; readonly gate: string; readonly reason: string; readonly commit: string }
  | { readonly kind: 'notice'; readonly comment: string | null }
  | { readonly kind: 'transition'; readonly from: ReleaseState; readonly to: ReleaseState; readonly reason: string | null }
  | { readonly kind: 'postmortem'; readonly url: string }
  | { readonly kind: 'deployment'; readonly environment: string; readonly detail: string | null }
  /** A step of deployment `deployment` (the deployments table's id) of `version` to `environment`. */
  | { readonly kind: 'deploy'; readonly environment: string; readonly deployment: number; readonly version: string; readonly step: DeployStep; readonly detail: string | null }
  /** One round of measurements (`round` from 1), or the run's verdict (`round` null). */
  | {
      readonly kind: 'analysis';
      readonly environment: string;
      readonly deployment: number;
      readonly round: number | null;
      readonly phase: RunPhase | 'error';
      readonly measurements: readonly Measurement[];
      readonly reason: string | null;
    }
  /** `deployment` is the rollback's own row; `rolledBack` the deployment it undid (null for a manual rollback of an unrecorded version). */
  | {
      readonly kind: 'rollback';
      readonly environment: string;
      readonly deployment: number;
      readonly rolledBack: number | null;
      readonly from: string | null;
      readonly to: string;
      readonly reason: string;
      readonly automatic: boolean;
      readonly forced: boolean;
      readonly evidence: readonly string[];
    }
  | { readonly kind: 'artifacts'; readonly image: string; readonly tags: readonly TagOutcome[] }
  /** A person signs off a post-release item. */
  | { readonly kind: 'signoff'; readonly gate: string; readonly comment: string | null }
  /** The pipeline's own steps: started, a step planted, paused, refused, resumed. */
  | { readonly kind: 'pipeline'; readonly step: PipelineStep; readonly environment: string | null; readonly detail: string | null }
  /** One try at sending one message of the communication plan, and how it ended (never a secret in `detail`). */
  | {
      readonly kind: 'message';
      readonly step: string;
      readonly channel: string;
      /** The delivery id the message carried. */
      readonly delivery: string;
      readonly outcome: 'sent' | 'failed' | 'uncertain';
      readonly attempt: number;
      /** Whether another attempt follows a failure. */
      readonly retry: boolean;
      readonly detail: string | null;
    }
  /** The release branch locked (the freeze began) or unlocked on the forge, or a failed try. */
  | { readonly kind: 'branch-lock'; readonly branch: string; readonly locked: boolean; readonly outcome: 'done' | 'failed'; readonly detail: string | null }
  /**
   * A step of the policy's timeline fell due for the release's train and date (the freeze starting or
   * ending, a communication step): recorded once per step, by `key` (timeline:<train>:<date>:<step>).
   */
  | { readonly kind: 'step-due'; readonly key: string; readonly step: string; readonly title: string; readonly due: string };

export const DEPLOY_STEPS = ['started', 'already-running', 'rolled-out', 'smoke-passed', 'smoke-failed', 'failed', 'succeeded', 'paused', 'resumed'] as const;
export type DeployStep = (typeof DEPLOY_STEPS)[number];
export const PIPELINE_STEPS = ['started', 'planted', 'paused', 'refused', 'resumed'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** What `artifacts --push` did with one tag. */
export interface TagOutcome {
  readonly tag: string;
  readonly action: 'created' | 'moved' | 'unchanged' | 'kept';
  readonly detail: string;
}

export type EventKind = EventData['kind'];

/** One line of a release's log as the core reads it: who did what, when (the store's clock). */
export interface LoggedEvent {
  readonly releaseId: string;
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  /** The API token the actor wrote it through (its id, never the token); absent for the CLI and for shipgate. */
  readonly tokenId?: string;
  readonly data: EventData;
}

/** A stored line of the append-only log. */
export interface ReleaseEvent extends LoggedEvent {
  /** Global, increasing in the order events were committed: read `id > last` to follow every release. */
  readonly id: number;
}

/** What the evidence collector found for one checklist item (or smoke tests), as plain data. */
export type EvidenceSummary =
  | { readonly kind: 'junit'; readonly patterns: readonly string[]; readonly reports: readonly JunitReportSummary[] }
  | { readonly kind: 'sarif'; readonly patterns: readonly string[]; readonly reports: readonly SarifReportSummary[] }
  | { readonly kind: 'changed-files'; readonly patterns: readonly string[]; readonly since: string | null; readonly matched: readonly string[] }
  | { readonly kind: 'file'; readonly patterns: readonly string[]; readonly found: readonly string[] };

export interface JunitReportSummary {
  readonly file: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  /** Names of failed or errored test cases (the first few), for the "next" line. */
  readonly failed: readonly string[];
  readonly suites: readonly string[];
}

export interface SarifReportSummary {
  readonly file: string;
  readonly tools: readonly string[];
  readonly counts: { readonly error: number; readonly warning: number; readonly note: number };
  /** The first few results at or above the failing level: `ruleId file:line message`. */
  readonly findings: readonly { readonly level: 'error' | 'warning' | 'note'; readonly text: string }[];
}

export type GateSource = 'checklist' | 'versioning' | 'approvals' | 'migrations' | 'postRelease';
/** pending: its evidence comes from a later step (a deploy's smoke tests, the post-release checks), which it is required before. */
export type Verdict = 'pass' | 'fail' | 'waived' | 'pending';

export interface Gate {
  /** `source.id`, e.g. `checklist.tests`, `approvals.tech-lead-sign-off`: what `shipgate waive` takes. */
  readonly id: string;
  readonly title: string;
  readonly source: GateSource;
  readonly verdict: Verdict;
  /** What the verdict rests on, one line each. */
  readonly evidence: readonly string[];
  /** What to do to make it pass, as data each interface words itself; null when it passes. */
  readonly nextStep: NextStep | null;
  readonly waiver: { readonly by: string; readonly reason: string; readonly at: string } | null;
  /** People's sign-offs cannot be waived: only evidence and notice gates can. */
  readonly waivable: boolean;
}

export interface PostmortemStatus {
  readonly required: boolean;
  readonly due: string | null;
  readonly url: string | null;
  readonly state: 'not-required' | 'attached' | 'owed' | 'overdue';
}

export interface GateReport {
  readonly release: ReleaseRecord;
  readonly gates: readonly Gate[];
  readonly ok: boolean;
  readonly postmortem: PostmortemStatus;
  /** Whether the release's new migrations only add to the schema; null when the repository has none. */
  readonly rollbackSafe: boolean | null;
  readonly warnings: readonly string[];
  /** What decided (`check` sets it): the policy committed on main, or the file of a preview. */
  readonly policy?: string;
  /** The policy file this report previews; null or absent when main's committed policy decided. */
  readonly preview?: string | null;
}
