import { z } from 'zod';
import type { JobHandlers } from '../jobs/run-jobs.js';
import { timelineHandlers } from './plant-timeline.js';
import { lockBranch } from './lock-branch.js';
import { BRANCH_LOCK, NOTIFY_SEND, type NotifyDeps } from './notify-deps.js';
import { sendDelivery } from './send-delivery.js';
import { stepDue } from './step-due.js';

// Payloads were written by notify-step.ts, possibly by an older shipgate: checked before acting on them.
const sendPayload = z.object({ delivery: z.string().min(1) });
const lockPayload = z.object({ release: z.string().min(1), branch: z.string().min(1), locked: z.boolean() });

// Room for the store's writes around a send, on top of the send's own timeout.
const STORE_ROOM_MS = 15_000;
// The longest send timeout a policy may set (notifySchema): the backstop when the policy can change.
const LONGEST_SEND_MS = 300_000;

/**
 * The handlers of the jobs the communication plan plants: sending a message, locking a branch. The
 * runner's timeout for them is the policy's send timeout plus room for the store's writes; the send
 * itself gives up at the policy's timeout.
 */
export function notifyHandlers(deps: NotifyDeps): JobHandlers {
  return notifyHandlersWith(async () => deps, deps.policy.notify.timeoutSeconds * 1000 + STORE_ROOM_MS);
}

/**
 * Everything a runner needs for the communication plan: each due timeline step recorded and its
 * messages and locks planted (stepDue), and the messages' own jobs.
 */
export function communicationHandlers(deps: NotifyDeps): JobHandlers {
  const due = stepDue(deps);
  return { ...timelineHandlers((step) => due(step)), ...notifyHandlers(deps) };
}

/**
 * The same handlers for a runner whose policy changes while it runs (the server decides with main's
 * policy as last fetched): each job is run with the deps of its moment. The runner's timeout is then
 * the longest a policy may set; the send itself still stops at the policy's own.
 */
export function followingCommunicationHandlers(deps: () => Promise<NotifyDeps>): JobHandlers {
  return {
    ...timelineHandlers(async (step) => stepDue(await deps())(step)),
    ...notifyHandlersWith(deps, LONGEST_SEND_MS + STORE_ROOM_MS),
  };
}

function notifyHandlersWith(deps: () => Promise<NotifyDeps>, timeoutMs: number): JobHandlers {
  return {
    [NOTIFY_SEND]: {
      timeoutMs,
      run: async (context) => sendDelivery(await deps(), parse(sendPayload, context.payload, 'a message to send').delivery, { attempt: context.attempt, maxAttempts: context.maxAttempts, signal: context.signal }),
    },
    [BRANCH_LOCK]: {
      timeoutMs,
      run: async (context) => lockBranch(await deps(), parse(lockPayload, context.payload, 'a branch to lock'), context.signal),
    },
  };
}

function parse<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new Error(`the payload is not ${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
