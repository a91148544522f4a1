import { DateTime } from 'luxon';
import type { EvidenceReader } from '../../app/cached-evidence.js';
import { checkUnderPolicy } from '../../app/check-release.js';
import type { GoverningPolicy } from '../../app/governing-policy.js';
import { releasePermissions } from '../../app/release-permissions.js';
import { calendarJson, freezeJson, showCalendar } from '../../app/show-calendar.js';
import { showDeployments } from '../../app/show-deployments.js';
import { showNotes } from '../../app/show-notes.js';
import { planJson, showPlan } from '../../app/show-plan.js';
import { listReleaseRecords, showRelease } from '../../app/show-release.js';
import { isShipgateError } from '../../errors/shipgate-error.js';
import { CLOSED_STATES, type ReleaseRecord } from '../../gates/types.js';
import { renderNotesBody } from '../../notes/render-html.js';
import { renderNotesMarkdown } from '../../notes/render-markdown.js';
import type { Store } from '../../store/open-store.js';
import { trusted } from './html.js';
import type { CalendarView } from './render-calendar.js';
import type { BoardRow, BoardView } from './render-releases.js';
import type { ReleaseView } from './render-release.js';

/*
 * What each page shows, read through the same app/ functions the API routes call (no decision of the
 * dashboard's own): the API's calendar, freeze, plan, releases, gates, notes and permissions.
 */

/** Off the board unless asked for: a release in production is still in flight until it is verified. */
const ENDED: readonly ReleaseRecord['state'][] = ['verified', 'rolled-back', 'abandoned'];

export interface PageContext {
  readonly store: Store;
  readonly cwd: string;
  readonly governing: GoverningPolicy;
  /** The display clock: what "today", the month and the freeze banner are judged at. */
  readonly now: Date;
  /** The server's shared gate evidence reader (the API's): the board and a release page reuse its reads. */
  readonly readEvidence?: EvidenceReader | undefined;
}

type Trains = ReturnType<typeof freezeJson>['trains'];
const freezes = new WeakMap<object, { from: number; until: number; trains: Trains }>();

/**
 * The banner's freeze status, as the API's /freeze answers it. It changes only when a freeze starts or
 * ends, so it is kept per policy until the first of those moments (the calendar it is read from is the
 * slowest part of a page).
 */
export function frozenTrains(context: PageContext): Trains {
  const { policy } = context.governing;
  const at = context.now.getTime();
  const kept = freezes.get(policy);
  if (kept !== undefined && kept.from <= at && at < kept.until) return kept.trains;
  const trains = freezeJson(policy, context.now, undefined).trains;
  const changes = trains.map((train) => Date.parse((train.frozen ? train.release?.freeze.end : train.next?.freeze.start) ?? '') || Number.POSITIVE_INFINITY);
  freezes.set(policy, { from: at, until: Math.min(...changes), trains });
  return trains;
}

export async function loadCalendar(context: PageContext, month: string | undefined): Promise<CalendarView> {
  const { policy } = context.governing;
  const zone = policy.timezone;
  const today = DateTime.fromJSDate(context.now, { zone });
  const shownMonth = month !== undefined && /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? DateTime.fromISO(`${month}-01`, { zone }) : today.startOf('month');
  // A month shows the freezes and notices of next month's releases too: they start in this one.
  const from = shownMonth.minus({ days: 7 }).toISODate() ?? '';
  const to = shownMonth.plus({ months: 1, days: 45 }).toISODate() ?? '';
  const shown = calendarJson(await showCalendar({ cwd: context.cwd, policy, from, to, versions: false, now: context.now }));
  return { month: shownMonth.toFormat('yyyy-MM'), today: today.toISODate() ?? '', zone, events: shown.events, skipped: shown.skipped, blackouts: policy.blackouts };
}

export async function loadBoard(context: PageContext, filter: BoardView['filter']): Promise<BoardView> {
  const { policy } = context.governing;
  const all = await listReleaseRecords(context.store);
  const trainOf = (release: ReleaseRecord) => policy.components[release.kind]?.train ?? null;
  const wanted = all.filter(
    (release) =>
      (filter.component === '' || release.component === filter.component) &&
      (filter.train === '' || trainOf(release) === filter.train) &&
      (filter.state === 'all' || (filter.state === 'in-flight' ? !ENDED.includes(release.state) : release.state === filter.state)),
  );
  const rows: BoardRow[] = await Promise.all(
    wanted.map(async (release) => {
      if (CLOSED_STATES.includes(release.state)) return { release, train: trainOf(release), gates: null };
      try {
        const report = await checkUnderPolicy({ store: context.store, governing: context.governing, cwd: context.cwd, ref: release.id, now: context.now, ...(context.readEvidence ? { readEvidence: context.readEvidence } : {}) });
        return { release: report.release, train: trainOf(release), gates: { passing: report.gates.filter((gate) => gate.verdict !== 'fail').length, total: report.gates.length } };
      } catch (error) {
        if (isShipgateError(error) && error.category !== 'internal') return { release, train: trainOf(release), gates: null };
        throw error;
      }
    }),
  );
  const next = frozenTrains(context);
  const trains = Object.entries(policy.trains)
    .filter(([, train]) => train.enabled)
    .map(([name, train]) => {
      const status = next.find((t) => t.train === name);
      return { name, title: train.title, next: (status?.release ?? status?.next)?.at ?? null };
    });
  return { rows, trains, components: [...new Set(all.map((release) => release.component))].sort(), filter, zone: policy.timezone };
}

export async function loadRelease(context: PageContext, ref: string, user: string): Promise<Omit<ReleaseView, 'csrf' | 'flash'>> {
  const { store, cwd, governing } = context;
  const { policy, codeowners } = governing;
  const shown = await showRelease(store, ref);
  const id = shown.release.id;
  const [report, permissions, notes] = await Promise.all([
    checkUnderPolicy({ store, governing, cwd, ref: id, now: context.now, ...(context.readEvidence ? { readEvidence: context.readEvidence } : {}) }).then(
      (value) => ({ value, error: null }),
      (error: unknown) => {
        if (isShipgateError(error) && error.category !== 'internal') return { value: null, error: `${error.message}${error.where ? ` (${error.where})` : ''}` };
        throw error;
      },
    ),
    releasePermissions({ store, policy, codeowners, cwd, ref: id, user }),
    notesPreview(context, shown.release),
  ]);
  // The check may have recorded that the release is now approved: show the record it left.
  const after = report.value === null || report.value.release.seq === shown.release.seq ? shown : await showRelease(store, id);
  const deployments = await showDeployments({ store, policy, cwd, codeowners, release: after.release, events: after.events, user, now: context.now });
  return { shown: after, report: report.value, reportError: report.error, permissions, deployments, notes, zone: policy.timezone };
}

async function notesPreview(context: PageContext, release: ReleaseRecord) {
  const { policy } = context.governing;
  try {
    const notes = await showNotes({ cwd: context.cwd, policy, target: release.component, now: context.now });
    return trusted(renderNotesBody(renderNotesMarkdown(policy, notes)));
  } catch (error) {
    if (isShipgateError(error) && error.category !== 'internal') return `No notes preview: ${error.message}`;
    throw error;
  }
}

export async function loadComponents(context: PageContext) {
  return planJson(await showPlan({ cwd: context.cwd, policy: context.governing.policy, type: 'scheduled' }));
}
