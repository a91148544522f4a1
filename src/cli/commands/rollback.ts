import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';
import { describeDeployment } from './deploy.js';

export const registerRollback: RegisterCommand = (program, context) => {
  program
    .command('rollback')
    .description('roll a component back by hand in an environment; refused when a migration since that version is not rollback-safe')
    .argument('<component>', 'the component (billing)')
    .requiredOption('--env <environment>', 'the environment')
    .requiredOption('--reason <text>', 'why (on the record)')
    .option('--to <version>', 'the version to put back (default: the last one that passed there)')
    .option('--force', 'roll back even when the migration guard says it is not rollback-safe (recorded)')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (component: string, options: { env: string; reason: string; to?: string; force?: boolean; as?: string; db?: string; json?: boolean }) => {
      const { rollbackComponent } = await import('../../app/rollback-component.js');
      const result = await withGoverningStore(context, options, 'record', async ({ store, policy, cwd, caller, governing }) =>
        rollbackComponent({ store, policy, cwd, codeowners: governing.codeowners, component, environment: options.env, to: options.to, reason: options.reason, force: options.force === true, actor: await caller(), env: process.env, progress: options.json ? undefined : (line) => context.io.err(line) }),
      );
      if (result.deployment.outcome !== 'succeeded') context.exit(1);
      if (options.json) return printJson(context.io, result);
      context.io.out(`${describeDeployment(result.deployment)} (from ${result.from ?? 'unknown'}${result.forced ? ', forced' : ''})`);
    });
};
