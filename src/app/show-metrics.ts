import { DateTime } from 'luxon';
import { parseTime } from '../calendar/parse-time.js';
import { errors } from '../errors/catalog.js';
import { windowCalendar } from '../metrics/compute-figures.js';
import { computeMetrics, type MetricsReport } from '../metrics/compute-metrics.js';
import { metricTargets, productionEnvironment, trainOfKind } from '../metrics/policy-metrics.js';
import type { MetricRows } from '../metrics/types.js';
import { durationMs } from '../policy/duration.js';
import type { Policy } from '../policy/schema.js';
import type { StoreDb } from '../store/open-store.js';
import { loadLeadTimes } from '../store/lead-times.js';
import { loadComponentKinds, loadMetricFacts } from '../store/metrics-queries.js';

/** How far around the window rows are read: a failure's repair or restore after it, the deploy an incident blames before it. */
const MARGIN_MS = 30 * 24 * 3600 * 1000;
const MAX_DAYS = 3 * 366;

export type MetricsJson = MetricsReport & { readonly environment: string };

/**
 * `shipgate metrics` and GET /api/v1/metrics: the window in the policy's time zone (whole days for
 * dates; --until a date includes that day), the production environment's rows read by indexed
 * queries, the figures from the pure core. `what` names the window's inputs in messages as the caller
 * was given them (the CLI's flags by default, the API's query parameters).
 */
export async function showMetrics(options: { store: StoreDb; policy: Policy; since?: string | undefined; until?: string | undefined; component?: string | undefined; train?: string | undefined; now: Date; what?: { since: string; until: string } }): Promise<MetricsJson> {
  const { policy, now } = options;
  const what = options.what ?? { since: '--since', until: '--until' };
  const zone = policy.timezone;
  if (options.train !== undefined && !Object.hasOwn(policy.trains, options.train)) throw errors.unknownTrain(options.train, Object.keys(policy.trains));
  if (options.component !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(options.component)) throw errors.badOption(`"${options.component}" is not a component name`, 'e.g. --component billing');
  const environment = productionEnvironment(policy);
  if (environment === null) throw errors.badOption('the policy has no environments, so there are no production deploys to measure', 'add environments (and metrics.environment) to the policy');
  const until = options.until === undefined ? now : new Date(parseTime(options.until, what.until, zone, now, { endOfDay: true }).getTime() + (/^\d{4}-\d{2}-\d{2}$/.test(options.until) ? 1 : 0));
  const since =
    options.since === undefined
      ? DateTime.fromMillis(until.getTime() - durationMs(policy.metrics.window), { zone }).startOf('day').toJSDate()
      : parseTime(options.since, what.since, zone, now);
  if (since.getTime() >= until.getTime()) throw errors.badOption(`the window is empty: ${what.since} ${since.toISOString()} is not before ${what.until} ${until.toISOString()}`, `give a ${what.since} before ${what.until}`);
  if (until.getTime() - since.getTime() > MAX_DAYS * 24 * 3600 * 1000) throw errors.badOption(`the window is longer than ${MAX_DAYS} days`, 'ask for at most three years at a time');

  const from = new Date(since.getTime() - MARGIN_MS).toISOString();
  const to = new Date(until.getTime() + MARGIN_MS).toISOString();
  const trains = new Map<string, string | null>();
  for (const [component, kind] of await loadComponentKinds(options.store)) trains.set(component, trainOfKind(policy, kind));
  // The scope's components, for the lead times the store reduces (a train's: those whose kind rides it).
  const scope = options.train === undefined ? undefined : [...trains].filter(([component, train]) => train === options.train && (options.component === undefined || component === options.component)).map(([component]) => component);
  const components = scope ?? (options.component === undefined ? undefined : [options.component]);
  // The window's days, weeks and months in the policy's zone, worked out once for the store's week split and the core.
  const calendar = windowCalendar({ since, until, zone });
  const weekStarts = calendar.weeks.starts;
  // Two reads that do not depend on each other: on PostgreSQL they run at once, on two connections.
  const [facts, leads] = await Promise.all([loadMetricFacts(options.store, { environment, from, to }), loadLeadTimes(options.store, { environment, since: since.getTime(), until: until.getTime(), weekStarts, trains, components })]);
  const rows: MetricRows = { deploys: facts.deploys, leads, incidents: facts.incidents, trains };
  const report = computeMetrics(rows, { since, until, zone }, metricTargets(policy), { component: options.component, train: options.train }, calendar);
  return { environment, ...report };
}
