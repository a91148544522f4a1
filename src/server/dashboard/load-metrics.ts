import { showMetrics } from '../../app/show-metrics.js';
import { listReleaseRecords } from '../../app/show-release.js';
import { isShipgateError } from '../../errors/shipgate-error.js';
import type { PageContext } from './load-pages.js';
import type { MetricsFilterForm, MetricsView } from './render-metrics.js';

/** The form's fields from a query string; an empty field is a flag not given. */
export function metricsFilter(query: (name: string) => string | undefined): MetricsFilterForm {
  const field = (name: string) => (query(name) ?? '').trim();
  return { since: field('since'), until: field('until'), component: field('component'), train: field('train') };
}

/**
 * The metrics page reads what `shipgate metrics --json` and GET /api/v1/metrics answer, with the same
 * checks: a bad date or an unknown train is the CLI's message, shown above the form to correct.
 */
export async function loadMetrics(context: PageContext, filter: MetricsFilterForm): Promise<MetricsView> {
  const { policy } = context.governing;
  const given = (value: string) => (value === '' ? undefined : value);
  const trains = Object.entries(policy.trains).map(([name, train]) => ({ name, title: train.title }));
  const known = (await listReleaseRecords(context.store)).map((release) => release.component);
  const view = { filter, trains, timezone: policy.timezone, window: policy.metrics.window };
  try {
    const report = await showMetrics({ store: context.store, policy, since: given(filter.since), until: given(filter.until), component: given(filter.component), train: given(filter.train), now: context.now });
    const components = [...new Set([...known, ...report.components.map((c) => c.component)])].sort();
    return { ...view, components, report, error: null };
  } catch (error) {
    if (!isShipgateError(error) || error.category === 'internal') throw error;
    return { ...view, components: [...new Set(known)].sort(), report: null, error: { message: error.message, hint: error.hint ?? null, category: error.category } };
  }
}
