import { errors } from '../../errors/catalog.js';
import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { DB_OPTION, withStore } from '../with-store.js';

export const registerMetrics: RegisterCommand = (program, context) => {
  program
    .command('metrics')
    .description('DORA metrics of production deploys (lead time, deployment frequency, change failure rate, time to restore) against the policy\'s targets')
    .option('--since <date>', 'start of the window (default: the policy\'s metrics.window before --until)')
    .option('--until <date>', 'end of the window; a date includes that day (default: now)')
    .option('--component <name>', 'only this component')
    .option('--train <id>', 'only the components riding this train')
    .option(...DB_OPTION)
    .option('--json', 'print JSON (with the weekly series for charts)')
    .option('--csv', 'print CSV: one row per figure')
    .action(async (options: { since?: string; until?: string; component?: string; train?: string; db?: string; json?: boolean; csv?: boolean }) => {
      if (options.json && options.csv) throw errors.badOption('--json and --csv cannot be used together', 'pick one output format');
      const report = await withStore(context, options, async ({ store, policy, now }) => {
        const { showMetrics } = await import('../../app/show-metrics.js');
        return showMetrics({ store, policy, since: options.since, until: options.until, component: options.component, train: options.train, now });
      });
      if (options.json) return printJson(context.io, report);
      const { formatMetrics, formatMetricsCsv } = await import('../format-metrics.js');
      context.io.out(options.csv ? formatMetricsCsv(report) : formatMetrics(report));
    });
};
