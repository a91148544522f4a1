import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { serverClient } from '../server-target.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';

export const registerPostmortem: RegisterCommand = (program, context) => {
  program
    .command('postmortem')
    .description('attach the post-mortem an emergency release owes')
    .argument('<release>', 'component@version')
    .argument('<url>', 'link to the post-mortem')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, url: string, options: { as?: string; db?: string; json?: boolean }) => {
      const client = await serverClient(context, options);
      const release = client
        ? await (await import('../../client/releases-api.js')).postmortemRemote(client, ref, url)
        : await withGoverningStore(context, options, 'record', async ({ store, policy, governing, cwd, caller }) => {
            const { attachPostmortem } = await import('../../app/attach-postmortem.js');
            return attachPostmortem({ store, policy, codeowners: governing.codeowners, cwd, ref, url, actor: await caller() });
          });
      if (options.json) return printJson(context.io, release);
      context.io.out(`post-mortem attached to ${release.id}: ${release.postmortemUrl ?? ''}`);
    });
};
