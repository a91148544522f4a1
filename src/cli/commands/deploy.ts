import type { Deployment } from '../../store/deployments.js';
import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { AS_OPTION, DB_OPTION, withGoverningStore } from '../with-store.js';

export function describeDeployment(deployment: Deployment): string {
  const outcome = deployment.outcome ?? (deployment.phase === 'done' ? 'done' : `in ${deployment.phase}`);
  const undone = deployment.rolledBackBy === null ? '' : `, rolled back by #${deployment.rolledBackBy}`;
  return `#${deployment.id} ${deployment.kind} ${deployment.component} ${deployment.version} to ${deployment.environment}: ${outcome}${undone}`;
}

export const registerDeploy: RegisterCommand = (program, context) => {
  program
    .command('deploy')
    .description('deploy a release to an environment: the target, its smoke tests and analysis; rolls back automatically when they fail')
    .argument('<release>', 'component@version')
    .requiredOption('--to <environment>', 'the environment (staging, production…)')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { to: string; as?: string; db?: string; json?: boolean }) => {
      const { startDeployment } = await import('../../app/deploy-release.js');
      const { advanceDeployment } = await import('../../app/advance-deployment.js');
      const { getDeployment } = await import('../../store/deployments.js');
      const result = await withGoverningStore(context, options, 'record', async ({ store, policy, cwd, caller }) => {
        const started = await startDeployment({ store, policy, cwd, ref, environment: options.to, actor: await caller(), pipeline: false });
        if (!started.created && started.deployment.phase === 'done') {
          return { created: false, deployment: started.deployment, rollback: started.deployment.rolledBackBy === null ? null : ((await getDeployment(store, started.deployment.rolledBackBy)) ?? null) };
        }
        // The CLI waits in process for each analysis round; a server's job plants a job for it instead.
        const sleep = async (_row: Deployment, at: Date) => {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() - Date.now())));
          return 'slept' as const;
        };
        const ended = await advanceDeployment({ store, policy, cwd, env: process.env, later: sleep, progress: options.json ? undefined : (line) => context.io.err(line) }, started.deployment.id);
        return { created: started.created, deployment: ended, rollback: ended.rolledBackBy === null ? null : ((await getDeployment(store, ended.rolledBackBy)) ?? null) };
      });
      if (result.deployment.outcome !== 'succeeded') context.exit(1);
      if (options.json) return printJson(context.io, result);
      if (!result.created) context.io.out(`already deployed: ${describeDeployment(result.deployment)}`);
      else context.io.out(describeDeployment(result.deployment));
      if (result.rollback) context.io.out(describeDeployment(result.rollback));
    });
};
