import type { CalendarEvent } from '../calendar/build-calendar.js';
import type { Policy } from '../policy/schema.js';
import { planRelease } from './plan-release.js';

/**
 * The versions each train's next release will carry, from the repository's release plan: the tags
 * of the components and bundles on that train with releasable commits. Later releases of a train
 * are not known yet. Empty outside a git repository or when planning fails (the calendar still prints).
 */
export async function plannedVersions(cwd: string, policy: Policy, events: readonly CalendarEvent[], now: Date): Promise<Map<CalendarEvent, string>> {
  const versions = new Map<CalendarEvent, string>();
  let plan;
  try {
    plan = await planRelease({ cwd, policy, type: 'scheduled' });
  } catch {
    return versions;
  }
  for (const [name, train] of Object.entries(policy.trains)) {
    const next = events.find((event) => event.train === name && Date.parse(event.at) >= now.getTime());
    if (!next) continue;
    const bundles = plan.bundles.filter((b) => b.kind === 'bundle' && b.train === name && b.nextTag !== null).map((b) => b.nextTag as string);
    const components = plan.components
      .filter((c) => c.nextTag !== null && train.carries.includes(c.component.kind) && !plan.bundles.some((b) => b.kind === 'bundle' && b.train === name))
      .map((c) => c.nextTag as string);
    const tags = [...bundles, ...components];
    if (tags.length > 0) versions.set(next, tags.join(', '));
  }
  return versions;
}
