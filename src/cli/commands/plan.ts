import { Option } from 'commander';
import type { PlannedRelease } from '../../app/plan-release.js';
import { loadPolicy } from '../../app/load-policy.js';
import type { ReleaseType } from '../../policy/schema.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { formatTable } from '../format-table.js';
import { printJson } from '../io.js';
import { RELEASE_TYPES } from '../../policy/release-kinds.js';

const typeOption = () => new Option('--type <type>', 'release type').choices(RELEASE_TYPES).default('scheduled');

export async function runPlan(context: CliContext, options: { type: string; train?: string; prerelease?: boolean }): Promise<PlannedRelease> {
  const { policy } = await loadPolicy(context.globals());
  const { showPlan } = await import('../../app/show-plan.js');
  return showPlan({ cwd: context.globals().cwd, policy, type: options.type as ReleaseType, train: options.train, ...(options.prerelease ? { prerelease: true } : {}) });
}

async function printWarnings(context: CliContext, plan: PlannedRelease): Promise<void> {
  const { planHasProblems, planNotes } = await import('../../app/show-plan.js');
  const { warnings, problems } = planNotes(plan);
  for (const warning of warnings) context.io.err(`warning: ${warning}`);
  for (const problem of problems) context.io.err(`error: ${problem}`);
  if (planHasProblems(plan)) context.exit(1);
}

export const registerPlan: RegisterCommand = (program, context) => {
  program
    .command('status')
    .description('every component: kind, current version, unreleased commits, next version and why')
    .option('--train <name>', 'only this train')
    .addOption(typeOption())
    .option('--json', 'print JSON')
    .action(async (options: { train?: string; type: string; json?: boolean }) => {
      const plan = await runPlan(context, options);
      const { planJson } = await import('../../app/show-plan.js');
      if (options.json) return printJson(context.io, planJson(plan));
      const rows = plan.components.map((c) => [
        c.component.name,
        c.component.kind,
        c.lastVersion ?? c.component.version ?? '-',
        String(c.commits.length),
        c.nextVersion ?? '-',
        c.reasons[0] ?? '',
      ]);
      context.io.out(plan.components.length === 0 ? 'no components found (check the policy\'s component paths)\n' : formatTable(['Component', 'Kind', 'Current', 'Unreleased', 'Next', 'Why'], rows));
      await printWarnings(context, plan);
    });

  program
    .command('plan')
    .description('the release plan: versions, tags and bundle contents')
    .option('--train <name>', 'only the components and bundles of this train')
    .addOption(typeOption())
    .option('--prerelease', 'plan release candidates (e.g. 2.1.0-rc.1) for staging')
    .option('--json', 'print JSON')
    .action(async (options: { train?: string; type: string; prerelease?: boolean; json?: boolean }) => {
      const plan = await runPlan(context, options);
      const { planHasProblems, planJson } = await import('../../app/show-plan.js');
      if (options.json) {
        printJson(context.io, planJson(plan));
        if (planHasProblems(plan)) context.exit(1);
        return;
      }
      const releasing = plan.components.filter((c) => c.nextVersion !== null);
      const lines = [`${plan.type} release plan at ${plan.head.slice(0, 7) || '(no commits)'}: ${releasing.length} of ${plan.components.length} components`];
      for (const c of releasing) {
        lines.push(`  ${c.nextTag}  (${c.lastVersion ?? 'first release'} -> ${c.nextVersion}, ${c.bump})`);
        for (const reason of c.reasons.slice(0, 5)) lines.push(`      ${reason}`);
        if (c.reasons.length > 5) lines.push(`      … and ${c.reasons.length - 5} more`);
        for (const update of c.rangeUpdates ?? []) lines.push(`      ${c.component.manifest}: ${[...update.table, update.key].join('.')} ${update.from} -> ${update.to}`);
      }
      for (const bundle of plan.bundles.filter((b) => b.nextVersion !== null)) {
        lines.push(`  bundle ${bundle.nextTag}  (${bundle.lastVersion ?? 'first release'} -> ${bundle.nextVersion})`);
        for (const member of bundle.members) lines.push(`      ${member.kind} ${member.name} ${member.version ?? '-'}`);
      }
      context.io.out(`${lines.join('\n')}\n`);
      await printWarnings(context, plan);
    });
};
