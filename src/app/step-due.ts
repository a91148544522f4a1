import type { TimelineStep } from '../jobs/timeline-steps.js';
import type { NotifyDeps } from './notify-deps.js';
import { notifyStepDue, type StepPlanted } from './notify-step.js';
import { recordStepDue } from './record-step-due.js';

export interface StepDone extends Omit<StepPlanted, 'step'> {
  /** Releases whose history got the step now, and those that already had it (or are closed). */
  readonly recorded: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * Everything a due timeline step does, in one place for every runner (the server, a worker): the
 * step is recorded in the history of the releases riding it, and the communication plan's messages
 * and branch locks for it are planted. Each half is keyed (the step's key in the history, the
 * delivery key per release, step and channel), so a job that dies between them and runs again does
 * neither twice.
 */
export function stepDue(deps: NotifyDeps): (step: TimelineStep) => Promise<StepDone> {
  const plant = notifyStepDue(deps);
  return async (step) => {
    const { recorded, unchanged } = await recordStepDue({ store: deps.store, policy: deps.policy, step });
    const { messages, locks, skipped } = await plant(step);
    return { recorded, unchanged, messages, locks, skipped };
  };
}
