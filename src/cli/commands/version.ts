import { Option } from 'commander';
import { loadPolicy } from '../../app/load-policy.js';
import { errors } from '../../errors/catalog.js';
import type { ReleaseType } from '../../policy/schema.js';
import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';
import { lockOptions } from '../lock-options.js';
import { RELEASE_TYPES } from '../../policy/release-kinds.js';

export const registerVersion: RegisterCommand = (program, context) => {
  program
    .command('version')
    .argument('[components...]', 'only these components (default: every component with releasable commits)')
    .description('write the new versions (package.json, package-lock.json, Cargo.toml, Cargo.lock), commit "Release <name> v<version>" and tag')
    .option('--dry-run', 'change nothing; show exactly what would change')
    .option('--allow-dirty', 'run even with uncommitted changes to tracked files')
    .option('--train <name>', 'only the components of this train')
    .addOption(new Option('--type <type>', 'release type').choices(RELEASE_TYPES).default('scheduled'))
    .option('--prerelease', 'make release candidates (e.g. 2.1.0-rc.1) for staging')
    .option('--no-changelog', 'do not prepend the release notes to each CHANGELOG.md')
    .option('--continue', 'only finish an interrupted `shipgate version` (any run finishes it first anyway)')
    .option('--abort', 'undo an interrupted `shipgate version` instead of finishing it')
    .option('--json', 'print JSON')
    .action(async (components: string[], options: { dryRun?: boolean; allowDirty?: boolean; train?: string; type: string; prerelease?: boolean; changelog: boolean; continue?: boolean; abort?: boolean; json?: boolean }) => {
      if (options.continue && options.abort) throw errors.badOption('--continue and --abort cannot be used together');
      if ((options.continue || options.abort) && (options.dryRun || components.length > 0)) throw errors.badOption(`--${options.abort ? 'abort' : 'continue'} takes no components and no --dry-run`);
      const { policy } = await loadPolicy(context.globals());
      const { applyVersion, versionJson } = await import('../../app/apply-version.js');
      const { describeRecovery } = await import('../../app/write-repository.js');
      const { describeEdit } = await import('../../manifests/plan-file-edits.js');
      const interrupted = options.abort ? 'abort' : options.continue ? 'continue' : undefined;
      const result = await applyVersion({
        cwd: context.globals().cwd,
        policy,
        type: options.type as ReleaseType,
        components,
        dryRun: options.dryRun === true,
        allowDirty: options.allowDirty === true,
        // A release candidate is not a release: its notes go to the CHANGELOG when the final version is made.
        changelog: options.changelog && !options.prerelease ? { now: context.io.now() } : false,
        lock: lockOptions(context.io),
        now: context.io.now(),
        ...(options.train === undefined ? {} : { train: options.train }),
        ...(options.prerelease ? { prerelease: true } : {}),
        ...(interrupted === undefined ? {} : { interrupted }),
      });
      if (options.json) return printJson(context.io, versionJson(result));
      const lines: string[] = result.recovered === undefined ? [] : [describeRecovery(result.recovered)];
      if (interrupted !== undefined) return context.io.out(`${lines.join('\n')}\n`);
      if (result.steps.length === 0) lines.push('nothing to release: no component has releasable commits');
      else lines.push(result.applied ? 'released:' : 'dry run, nothing changed; would release:');
      for (const step of result.steps) {
        lines.push(`  ${step.tag}  commit "${step.message}"`);
        for (const edit of step.edits) for (const line of describeEdit(edit)) lines.push(`      ${line}`);
      }
      for (const bundle of result.bundleTags) lines.push(`  ${bundle.tag}  (bundle tag)`);
      context.io.out(`${lines.join('\n')}\n`);
    });
};
