import { randomUUID } from 'node:crypto';
import { plantJob } from '../jobs/job-store.js';
import type { TimelineStep } from '../jobs/timeline-steps.js';
import type { ReleaseRecord, ReleaseState } from '../gates/types.js';
import { planMessages, releaseEvent, releaseTrain } from '../notify-plan/plan-messages.js';
import { isSending } from '../notify-plan/resolve-channel.js';
import { plantDelivery } from '../store/deliveries.js';
import { listReleases } from '../store/releases.js';
import { writeTransaction } from '../store/write-transaction.js';
import { renderTag } from '../versioning/tag-template.js';
import { BRANCH_LOCK, NOTIFY_SEND, type NotifyDeps } from './notify-deps.js';

/** Releases that no message is sent about any more. */
const GONE: readonly ReleaseState[] = ['abandoned', 'rolled-back'];
/** Where a release must be for its post-release messages: they announce that it shipped. */
const SHIPPED: readonly ReleaseState[] = ['production', 'verified'];

export interface StepPlanted {
  readonly step: string;
  /** Send jobs planted now (a step run again finds its messages already planted). */
  readonly messages: number;
  readonly locks: number;
  readonly skipped: readonly { readonly release: string; readonly why: string }[];
}

/**
 * What a due timeline step does for the communication plan: a communication step writes a delivery
 * and plants a send job for each message to each release riding the train that day (both in one
 * transaction, keyed by release, step and channel, so running the step again plants nothing new); a
 * freeze start or end plants the locking or unlocking of each release's branch where the policy names
 * a GitHub repository. Give it to timelineHandlers (or call it from the server's recordStepDue).
 */
export function notifyStepDue(deps: NotifyDeps): (step: TimelineStep) => Promise<StepPlanted> {
  return async (step) => {
    const { policy, store } = deps;
    const releases = (await listReleases(store, { trainDate: step.releaseDate })).filter((release) => releaseTrain(policy, release) === step.train);
    const skipped: { release: string; why: string }[] = [];
    let messages = 0;
    let locks = 0;
    const live = releases.filter((release) => {
      if (!GONE.includes(release.state)) return true;
      skipped.push({ release: release.id, why: `it is ${release.state}` });
      return false;
    });
    if (step.step.startsWith('communication:')) {
      const id = step.step.slice('communication:'.length);
      const notice = policy.communication.find((candidate) => candidate.id === id);
      if (notice === undefined) return { step: step.step, messages, locks, skipped: [{ release: '*', why: `the policy has no communication step "${id}" any more` }] };
      for (const release of live) {
        if (notice.at === 'after-release' && !SHIPPED.includes(release.state)) {
          skipped.push({ release: release.id, why: `it is ${release.state}, not in production` });
          continue;
        }
        messages += await plantMessages(deps, release, id);
      }
    } else if ((step.step === 'freeze-start' || step.step === 'freeze-end') && policy.freeze.github !== null) {
      for (const release of live) locks += await plantLock(deps, release, step.step === 'freeze-start');
    }
    return { step: step.step, messages, locks, skipped };
  };
}

async function plantMessages(deps: NotifyDeps, release: ReleaseRecord, step: string): Promise<number> {
  const { policy, store } = deps;
  const event = releaseEvent(policy, release);
  if (event === undefined) return 0;
  const wantsNotes = policy.communication.some((notice) => notice.id === step && notice.notes);
  const notes = wantsNotes && deps.notes ? await deps.notes(release) : null;
  const messages = planMessages(policy, release, { event, notes, steps: [step] }).filter((message) => message.skip === null);
  let planted = 0;
  for (const message of messages) {
    const target = message.target;
    if (!isSending(target)) continue;
    // The delivery row and its job in one transaction: a crash leaves both or neither.
    const fresh = await writeTransaction(store.db, store.dialect, async (tx) => {
      const db = { db: tx, dialect: store.dialect };
      const { delivery } = await plantDelivery(db, { id: (deps.newId ?? randomUUID)(), key: message.key, releaseId: release.id, step, channel: message.channel, target, subject: message.subject, body: message.text, dueAt: new Date(message.at).toISOString() });
      const job = await plantJob(db, { kind: NOTIFY_SEND, key: message.key, payload: { delivery: delivery.id }, maxAttempts: policy.notify.maxAttempts });
      return job.planted;
    });
    if (fresh) planted += 1;
  }
  return planted;
}

async function plantLock(deps: NotifyDeps, release: ReleaseRecord, locked: boolean): Promise<number> {
  // The branch `shipgate branch release` cuts for it.
  const branch = renderTag(deps.policy.branches.release, { name: release.component, version: release.version });
  const { planted } = await plantJob(deps.store, {
    kind: BRANCH_LOCK,
    key: `branch-lock:${release.id}:${locked ? 'lock' : 'unlock'}`,
    payload: { release: release.id, branch, locked },
    maxAttempts: deps.policy.notify.maxAttempts,
  });
  return planted ? 1 : 0;
}
