import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { serverClient } from '../server-target.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';

export const registerWaive: RegisterCommand = (program, context) => {
  program
    .command('waive')
    .description('waive one failing evidence gate of a release candidate, with the reason on record')
    .argument('<release>', 'component@version')
    .argument('<gate>', 'the gate id from `shipgate check` (e.g. checklist.performance-tests, or performance-tests)')
    .requiredOption('--reason <text>', 'why the release may ship without it')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, gate: string, options: { reason: string; as?: string; db?: string; json?: boolean }) => {
      const client = await serverClient(context, options);
      const { waiveGate, waiverJson } = await import('../../app/waive-gate.js');
      const result = client
        ? await (await import('../../client/releases-api.js')).waiveRemote(client, ref, { gate, reason: options.reason })
        : waiverJson(
            await withGoverningStore(context, options, 'record', async ({ store, policy, governing, cwd, caller }) =>
              waiveGate({ store, policy, codeowners: governing.codeowners, cwd, ref, gate, reason: options.reason, actor: await caller() }),
            ),
          );
      if (options.json) return printJson(context.io, result);
      context.io.out(`waived: ${result.gate} of ${result.release.id} for candidate ${result.release.commit.slice(0, 7)}`);
    });
};
