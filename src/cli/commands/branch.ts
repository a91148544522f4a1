import { loadPolicy } from '../../app/load-policy.js';
import type { Recovery } from '../../app/write-repository.js';
import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { lockOptions } from '../lock-options.js';

export const registerBranch: RegisterCommand = (program, context) => {
  const branch = program.command('branch').description('create release and hotfix branches as the policy names them');
  const lock = () => ({ ...lockOptions(context.io), now: () => context.io.now() });
  const recovery = async (recovered: Recovery | undefined) => {
    if (recovered === undefined) return [];
    const { describeRecovery } = await import('../../app/write-repository.js');
    return [describeRecovery(recovered)];
  };
  const run = async (create: () => Promise<{ branch: string; from: string; version: string; recovered?: Recovery }>, json: boolean | undefined) => {
    const result = await create();
    if (json) printJson(context.io, result);
    else context.io.out([...(await recovery(result.recovered)), `created ${result.branch} from ${result.from} (for v${result.version})`].join('\n'));
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
      await run(() => createReleaseBranch(context.globals().cwd, policy, component, version, { switchTo: options.switch, lock: lock() }), options.json);
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
      await run(() => createHotfixBranch(context.globals().cwd, policy, component, { switchTo: options.switch, lock: lock() }), options.json);
    });

  program
    .command('cherry-pick')
    .argument('<sha...>', 'commits to pick, in order')
    .description('cherry-pick commits onto the current release or hotfix branch; a conflict undoes the whole run')
    .option('--json', 'print JSON')
    .action(async (shas: string[], options: { json?: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const { cherryPick } = await import('../../app/release-branches.js');
      const result = await cherryPick(context.globals().cwd, policy, shas, { lock: lock(), now: context.io.now() });
      if (options.json) return printJson(context.io, result);
      const lines = [...(await recovery(result.recovered)), `picked ${result.picked.length} commit${result.picked.length === 1 ? '' : 's'} onto ${result.branch}:`, ...result.picked.map((p) => `  ${p.sha.slice(0, 12)} -> ${p.commit.slice(0, 12)}`)];
      context.io.out(lines.join('\n'));
    });
};
