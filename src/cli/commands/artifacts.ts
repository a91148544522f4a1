import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';

export const registerArtifacts: RegisterCommand = (program, context) => {
  program
    .command('artifacts')
    .description('the image tags of a release (artifacts.tags); --push promotes them in the registry by copying the manifest')
    .argument('<release>', 'component@version')
    .option('--push', 'point the tags at the release\'s image in the registry')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { push?: boolean; as?: string; db?: string; json?: boolean }) => {
      const { promoteArtifacts } = await import('../../app/promote-artifacts.js');
      const result = await withGoverningStore(context, options, 'record', async ({ store, policy, cwd, caller }) =>
        promoteArtifacts({ store, policy, cwd, ref, push: options.push === true, actor: await caller(), env: process.env }),
      );
      if (options.json) return printJson(context.io, result);
      if (result.note) context.io.err(`note: ${result.note}`);
      if (result.tags.length > 0) for (const tag of result.tags) context.io.out(`${result.image}:${tag.tag} ${tag.action}: ${tag.detail}`);
      else for (const plan of result.plan) context.io.out(`${result.image}:${plan.tag} ${plan.move ? 'moves here' : 'stays'}: ${plan.reason}`);
    });
};
