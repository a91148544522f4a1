import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { parseCliTime } from '../parse-time.js';
import { AS_OPTION, DB_OPTION, withStore } from '../with-store.js';

interface RecordOptions {
  at?: string;
  db?: string;
  as?: string;
  json?: boolean;
}

/** What shipgate is told happened, for the metrics: deploys it did not run, incidents and their end. */
export const registerRecord: RegisterCommand = (program, context) => {
  const record = program.command('record').description('tell shipgate about a deploy it did not run, an incident, or its resolution (for `shipgate metrics`)');
  const at = ['--at <time>', 'when it happened: a date or ISO date-time in the policy\'s time zone (default: now)'] as const;

  record
    .command('deploy')
    .description('record a deploy of <component>@<version> to an environment')
    .argument('<component@version>', 'what was deployed, e.g. billing@2.1.0')
    .requiredOption('--env <environment>', 'the environment it went to (one of the policy\'s)')
    .option(...at)
    .option('--failed', 'the deploy failed in that environment')
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (ref: string, options: RecordOptions & { env: string; failed?: boolean }) => {
      const result = await withStore(context, options, async ({ store, policy, now, caller }) => {
        const { recordDeploy } = await import('../../app/record-metrics.js');
        const when = options.at === undefined ? undefined : parseCliTime(options.at, '--at', policy.timezone, now);
        return recordDeploy({ store, policy, ref, environment: options.env, at: when, failed: options.failed === true, actor: await caller(), source: 'cli' });
      });
      if (options.json) return printJson(context.io, result);
      const d = result.deployment;
      const what = `${d.component}@${d.version} to ${d.environment} at ${d.startedAt} (${d.outcome ?? 'running'})`;
      context.io.out(result.recorded ? `recorded the deploy of ${what}` : `already on record: the deploy of ${what}`);
    });

  record
    .command('incident')
    .description('record that an incident began')
    .argument('<id>', 'the incident\'s id, e.g. INC-42')
    .option('--component <name>', 'the component it is in (else it counts against the organization\'s latest deploy)')
    .option(...at)
    .option(...AS_OPTION)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (id: string, options: RecordOptions & { component?: string }) => {
      const result = await withStore(context, options, async ({ store, policy, now, caller }) => {
        const { recordIncident } = await import('../../app/record-metrics.js');
        const when = options.at === undefined ? undefined : parseCliTime(options.at, '--at', policy.timezone, now);
        return recordIncident({ store, id, component: options.component, at: when, actor: await caller(), source: 'cli' });
      });
      if (options.json) return printJson(context.io, result);
      context.io.out(`recorded incident ${result.incident.id}${result.incident.component === null ? '' : ` in ${result.incident.component}`}, opened at ${result.incident.openedAt}`);
    });

  record
    .command('resolve')
    .description('record that an incident is resolved (service restored)')
    .argument('<id>', 'the incident\'s id')
    .option(...at)
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (id: string, options: RecordOptions) => {
      const result = await withStore(context, options, async ({ store, policy, now }) => {
        const { resolveIncident } = await import('../../app/record-metrics.js');
        const when = options.at === undefined ? undefined : parseCliTime(options.at, '--at', policy.timezone, now);
        return resolveIncident({ store, id, at: when });
      });
      if (options.json) return printJson(context.io, result);
      context.io.out(`incident ${result.incident.id} resolved at ${result.incident.resolvedAt ?? ''}`);
    });
};
