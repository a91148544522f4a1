import { z } from 'zod';
import type { JobHandlers } from '../jobs/run-jobs.js';
import { timelineHandlers } from './plant-timeline.js';
import { lockBranch } from './lock-branch.js';
import { BRANCH_LOCK, NOTIFY_SEND, type NotifyDeps } from './notify-deps.js';
import { notifyStepDue } from './notify-step.js';
import { sendDelivery } from './send-delivery.js';

// Payloads were written by notify-step.ts, possibly by an older shipgate: checked before acting on them.
const sendPayload = z.object({ delivery: z.string().min(1) });
const lockPayload = z.object({ release: z.string().min(1), branch: z.string().min(1), locked: z.boolean() });

/**
 * The handlers of the jobs the communication plan plants: sending a message, locking a branch. The
 * runner's timeout for them is the policy's send timeout plus room for the store's writes; the send
 * itself gives up at the policy's timeout.
 */
export function notifyHandlers(deps: NotifyDeps): JobHandlers {
  const timeoutMs = deps.policy.notify.timeoutSeconds * 1000 + 15_000;
  return {
    [NOTIFY_SEND]: {
      timeoutMs,
      run: async (context) => sendDelivery(deps, parse(sendPayload, context.payload, 'a message to send').delivery, { attempt: context.attempt, maxAttempts: context.maxAttempts, signal: context.signal }),
    },
    [BRANCH_LOCK]: {
      timeoutMs,
      run: async (context) => lockBranch(deps, parse(lockPayload, context.payload, 'a branch to lock'), context.signal),
    },
  };
}

/** Everything a runner needs for the communication plan: the timeline's steps planting messages, and the messages' own jobs. */
export function communicationHandlers(deps: NotifyDeps): JobHandlers {
  const planted = notifyStepDue(deps);
  return { ...timelineHandlers((step) => planted(step)), ...notifyHandlers(deps) };
}

function parse<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new Error(`the payload is not ${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
