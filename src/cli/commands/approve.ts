import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { serverClient } from '../server-target.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';

export const registerApprove: RegisterCommand = (program, context) => {
  program
    .command('approve')
    .description('approve a release candidate as one of your roles (counted per the approval matrix)')
    .argument('<release>', 'component@version')
    .requiredOption('--role <role>', 'the role you approve as (e.g. module-owner, module-team, tech-lead)')
    .option('--comment <text>', 'a note kept with the approval')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { role: string; comment?: string; as?: string; db?: string; json?: boolean }) => {
      const client = await serverClient(context, options);
      const result = client
        ? await (await import('../../client/releases-api.js')).approveRemote(client, ref, { role: options.role, comment: options.comment })
        : await withGoverningStore(context, options, 'record', async ({ store, policy, governing, cwd, caller }) => {
            const { approveRelease } = await import('../../app/approve-release.js');
            return approveRelease({ store, policy, codeowners: governing.codeowners, cwd, ref, role: options.role, comment: options.comment, actor: await caller() });
          });
      if (options.json) return printJson(context.io, result);
      const verb = result.recorded ? 'approved' : 'already approved (counted once)';
      context.io.out(`${verb}: ${result.release.id} as ${options.role} for candidate ${result.release.commit.slice(0, 7)} (${options.role}: ${result.count} of ${result.needed})`);
    });
};
