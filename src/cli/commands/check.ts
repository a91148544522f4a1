import type { GateReport } from '../../gates/types.js';
import type { RegisterCommand } from '../context.js';
import { formatGateReport } from '../format-gates.js';
import { printJson } from '../io.js';
import { parseCliTime } from '../parse-time.js';
import { renderNext } from '../render-next.js';
import { serverClient } from '../server-target.js';
import { DB_OPTION, withGoverningStore } from '../with-store.js';

export const registerCheck: RegisterCommand = (program, context) => {
  program
    .command('check')
    .description('every gate of a release (checklist, versioning requirements, approval matrix) with its evidence, under the policy committed on main (or a preview under --policy); exit 1 while any fails')
    .argument('<release>', 'component@version, or a component for its newest open release')
    .option(...DB_OPTION)
    .option('--at <time>', 'judge time-based gates (notice periods, post-mortem deadlines) as of this time (default: now)')
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { db?: string; at?: string; json?: boolean }) => {
      const { checkUnderPolicy, gateReportJson } = await import('../../app/check-release.js');
      const client = await serverClient(context, options);
      let report: GateReport;
      if (client) {
        // Refused here in the CLI's words; the server reads it in its policy's time zone, as check does.
        if (options.at !== undefined) parseCliTime(options.at, '--at', 'UTC', context.io.now());
        report = await (await import('../../client/releases-api.js')).checkRemoteRelease(client, ref, options.at);
      } else {
        report = await withGoverningStore(context, options, 'check', async ({ store, policy, governing, cwd, now }) => {
          const at = options.at === undefined ? now : parseCliTime(options.at, '--at', policy.timezone, now);
          return checkUnderPolicy({ store, governing, cwd, ref, now: at });
        });
      }
      // Through a server, `next` comes in the API's words: the CLI words each step from its data, as it does its own.
      if (options.json) printJson(context.io, gateReportJson(report, renderNext));
      else context.io.out(formatGateReport(report));
      if (!report.ok) context.exit(1);
    });
};
