import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';

export const registerSignoff: RegisterCommand = (program, context) => {
  program
    .command('signoff')
    .description('sign off a post-release item of a release in production; the last one makes it verified')
    .argument('<release>', 'component@version')
    .argument('<item>', 'the post-release item (postRelease.update-release-notes, or update-release-notes)')
    .option('--comment <text>', 'a note for the record')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, item: string, options: { comment?: string; as?: string; db?: string; json?: boolean }) => {
      const { signoffGate } = await import('../../app/signoff-gate.js');
      const result = await withGoverningStore(context, options, 'record', async ({ store, policy, caller }) => signoffGate({ store, policy, ref, gate: item, comment: options.comment, actor: await caller() }));
      if (options.json) return printJson(context.io, result);
      context.io.out(`${result.recorded ? 'signed off' : 'already signed off'}: ${result.gate} of ${result.release.id} (${result.release.state})`);
    });
};
