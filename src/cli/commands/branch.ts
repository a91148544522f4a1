import { loadPolicy } from '../../app/load-policy.js';
import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';

export const registerBranch: RegisterCommand = (program, context) => {
  const branch = program.command('branch').description('create release and hotfix branches as the policy names them');
  const run = async (create: () => Promise<{ branch: string; from: string; version: string }>, json: boolean | undefined) => {
    const result = await create();
    if (json) printJson(context.io, result);
    else context.io.out(`created ${result.branch} from ${result.from} (for v${result.version})`);
  };

  branch
    .command('release')
    .argument('<component>')
    .argument('<version>')
    .description('create release/v<version> from HEAD and switch to it')
    .option('--no-switch', 'create the branch without switching to it')
    .option('--json', 'print JSON')
    .action(async (component: string, version: string, options: { switch: boolean; json?: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const { createReleaseBranch } = await import('../../app/release-branches.js');
      await run(() => createReleaseBranch(context.globals().cwd, policy, component, version, { switchTo: options.switch }), options.json);
    });

  branch
    .command('hotfix')
    .argument('<component>')
    .description('create hotfix/v<next patch> from the component\'s production tag and switch to it')
    .option('--no-switch', 'create the branch without switching to it')
    .option('--json', 'print JSON')
    .action(async (component: string, options: { switch: boolean; json?: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const { createHotfixBranch } = await import('../../app/release-branches.js');
      await run(() => createHotfixBranch(context.globals().cwd, policy, component, { switchTo: options.switch }), options.json);
    });

  program
    .command('cherry-pick')
    .argument('<sha...>', 'commits to pick, in order')
    .description('cherry-pick commits onto the current release or hotfix branch; a conflict undoes the whole run')
    .option('--json', 'print JSON')
    .action(async (shas: string[], options: { json?: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const { cherryPick } = await import('../../app/release-branches.js');
      const result = await cherryPick(context.globals().cwd, policy, shas);
      if (options.json) return printJson(context.io, result);
      context.io.out(`picked ${result.picked.length} commit${result.picked.length === 1 ? '' : 's'} onto ${result.branch}:\n${result.picked.map((p) => `  ${p.sha.slice(0, 12)} -> ${p.commit.slice(0, 12)}`).join('\n')}`);
    });
};
