import { z } from 'zod';
import { plantJob } from '../jobs/job-store.js';
import { databaseNow } from '../store/write-transaction.js';
import type { JobContext, JobHandlers } from '../jobs/run-jobs.js';
import { timelineSteps, type TimelineStep } from '../jobs/timeline-steps.js';
import type { Policy } from '../policy/schema.js';
import type { StoreDb } from '../store/open-store.js';
import { BUMPS } from '../policy/release-kinds.js';

/** The job kind of a timeline step. */
export const TIMELINE_STEP = 'timeline-step';

/**
 * Plants a job for each timeline step of the trains' releases in the rolling window from `now`
 * (default: the database's now). Run it on an interval: a step already planted keeps its one job, so
 * only the steps the window newly reaches are added, and a job planted before a server went down is
 * still in the table, due, when it comes back.
 */
export async function plantTimeline(options: { store: StoreDb; policy: Policy; now?: Date; windowMs?: number }): Promise<{ steps: TimelineStep[]; planted: number }> {
  const now = options.now ?? new Date(await databaseNow(options.store.db, options.store.dialect));
  const steps = timelineSteps(options.policy, { now, ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }) });
  let planted = 0;
  for (const step of steps) {
    const result = await plantJob(options.store, { kind: TIMELINE_STEP, key: step.key, payload: step, runAt: new Date(step.at) });
    if (result.planted) planted += 1;
  }
  return { steps, planted };
}

/**
 * What a due step does in this issue: it is recorded as due (the server records it in the release's
 * history) and that record's outcome is kept in the job row. `recordStepDue` may run more than once
 * for a step (see JobContext), so it must record a step it has already recorded as a no-op, keyed by
 * `step.key`.
 */
export function timelineHandlers(recordStepDue: (step: TimelineStep, context: JobContext) => Promise<unknown>): JobHandlers {
  return {
    [TIMELINE_STEP]: {
      async run(context) {
        const parsed = timelineStepSchema.safeParse(context.payload);
        if (!parsed.success) throw new Error(`the payload is not a timeline step: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ')}`);
        const step = parsed.data;
        const outcome = await recordStepDue(step, context);
        return { step: step.step, due: step.at, outcome: outcome ?? null };
      },
    },
  };
}

// The payload was written by plantTimeline, possibly by an older shipgate: check it before acting on it.
const timelineStepSchema = z.object({
  key: z.string(),
  train: z.string(),
  releaseDate: z.string(),
  releaseAt: z.string(),
  step: z.string(),
  title: z.string(),
  at: z.string(),
  timezone: z.string(),
  bumps: z.array(z.enum(BUMPS)).nullable(),
}) satisfies z.ZodType<TimelineStep>;
