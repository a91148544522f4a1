import type { RegisterCommand } from '../context.js';
import { formatGateReport } from '../format-gates.js';
import { printJson } from '../io.js';
import { parseCliTime } from '../parse-time.js';
import { DB_OPTION, withStore } from '../with-store.js';

export const registerCheck: RegisterCommand = (program, context) => {
  program
    .command('check')
    .description('every gate of a release (checklist, versioning requirements, approval matrix) with its evidence; exit 1 while any fails')
    .argument('<release>', 'component@version, or a component for its newest open release')
    .option(...DB_OPTION)
    .option('--at <time>', 'judge time-based gates (notice periods, post-mortem deadlines) as of this time (default: now)')
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { db?: string; at?: string; json?: boolean }) => {
      const report = await withStore(context, options, async ({ store, policy, cwd, now }) => {
        const { checkRelease } = await import('../../app/check-release.js');
        const at = options.at === undefined ? now : parseCliTime(options.at, '--at', policy.timezone, now);
        return checkRelease({ store, policy, cwd, ref, now: at });
      });
      if (options.json) printJson(context.io, report);
      else context.io.out(formatGateReport(report));
      if (!report.ok) context.exit(1);
    });
};
