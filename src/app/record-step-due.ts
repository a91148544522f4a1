import { ownEntry } from '../gates/own-entry.js';
import { CLOSED_STATES } from '../gates/types.js';
import type { TimelineStep } from '../jobs/timeline-steps.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { listReleases, mutateRelease } from '../store/releases.js';
import { SYSTEM_ACTOR } from './settle-approval.js';

/**
 * Records in the history of each open release riding the step's train and date that the step is due
 * (for a communication step, only releases of the bumps it is for). A job may run twice (see
 * JobContext): each release's log is read under its lock and a step it already has is not appended
 * again. Returns the releases it was recorded for this time, and those it was not (already recorded, or closed).
 */
export async function recordStepDue(options: { store: Store; policy: Policy; step: TimelineStep }): Promise<{ recorded: string[]; unchanged: string[] }> {
  const { store, policy, step } = options;
  const riding = (await listReleases(store, { trainDate: step.releaseDate })).filter(
    (release) => ownEntry(policy.components, release.kind)?.train === step.train && (step.bumps === null || step.bumps.includes(release.bump)),
  );
  const recorded: string[] = [];
  const unchanged: string[] = [];
  for (const release of riding.reverse()) {
    const { appended } = await mutateRelease(store, release.id, (current, events) => {
      if (CLOSED_STATES.includes(current.state)) return null;
      if (events.some((event) => event.data.kind === 'step-due' && event.data.key === step.key)) return null;
      return { actor: SYSTEM_ACTOR, events: [{ kind: 'step-due', key: step.key, step: step.step, title: step.title, due: step.at }] };
    });
    (appended.length > 0 ? recorded : unchanged).push(release.id);
  }
  return { recorded, unchanged };
}
