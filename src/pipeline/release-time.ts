import { buildCalendar } from '../calendar/build-calendar.js';
import { ownEntry } from '../gates/own-entry.js';
import type { ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';

const DAY = 86_400_000;

/**
 * When a release's pipeline may start: a scheduled release rides its train, so its first deploy waits
 * for the train's release time on its date (the cut that goes to staging); an on-demand release, or
 * one whose train time has passed, goes now. Pure.
 */
export function releaseTime(policy: Policy, release: Pick<ReleaseRecord, 'kind' | 'trainDate'>, now: Date): Date {
  const train = ownEntry(policy.components, release.kind)?.train;
  if (release.trainDate === null || train === undefined) return now;
  const day = Date.parse(`${release.trainDate}T00:00:00Z`);
  if (Number.isNaN(day)) return now;
  const event = buildCalendar(policy, { from: new Date(day - 2 * DAY), to: new Date(day + 3 * DAY), trains: [train] }).events.find((candidate) => candidate.date === release.trainDate);
  if (event === undefined) return now;
  const at = new Date(Date.parse(event.at));
  return at > now ? at : now;
}
