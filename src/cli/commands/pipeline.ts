import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { AS_OPTION, DB_OPTION, withGoverningStore, withStore } from '../with-store.js';
import { describeDeployment } from './deploy.js';

export const registerPipeline: RegisterCommand = (program, context) => {
  const pipeline = program.command('pipeline').description('the path of a release through its environments, run as jobs by `shipgate serve`');
  pipeline
    .command('start')
    .description('plant the deploys of a release: its first environment now, each next one when the soak before it ends')
    .argument('<release>', 'component@version')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { as?: string; db?: string; json?: boolean }) => {
      const { startPipeline } = await import('../../app/start-pipeline.js');
      const result = await withGoverningStore(context, options, 'record', async ({ store, policy, caller }) => startPipeline({ store, policy, ref, actor: await caller() }));
      if (options.json) return printJson(context.io, result);
      for (const entry of result.planted) context.io.out(`${entry.new ? 'planted' : 'already planted'}: deploy ${result.release.id} to ${entry.environment} at ${entry.runAt}`);
      context.io.out('shipgate serve runs the jobs');
    });
  pipeline
    .command('resume')
    .description('let a deployment whose analysis was inconclusive stand, with the reason on record, and go on')
    .argument('<release>', 'component@version')
    .requiredOption('--env <environment>', 'the environment where it paused')
    .requiredOption('--reason <text>', 'why it may stand')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { env: string; reason: string; as?: string; db?: string; json?: boolean }) => {
      const { resumePipeline } = await import('../../app/start-pipeline.js');
      const deployment = await withGoverningStore(context, options, 'record', async ({ store, policy, caller }) => resumePipeline({ store, policy, ref, environment: options.env, reason: options.reason, actor: await caller() }));
      if (options.json) return printJson(context.io, deployment);
      context.io.out(`resumed: ${describeDeployment(deployment)}`);
    });
  pipeline
    .command('deployments')
    .description('the deployments of a release, newest first')
    .argument('<release>', 'component@version')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: { db?: string; json?: boolean }) => {
      const { releaseDeployments } = await import('../../app/start-pipeline.js');
      const result = await withStore(context, options, async ({ store }) => releaseDeployments(store, ref));
      if (options.json) return printJson(context.io, result);
      if (result.deployments.length === 0) context.io.out(`${result.release.id} has no deployments`);
      for (const deployment of result.deployments) context.io.out(describeDeployment(deployment));
    });
};
