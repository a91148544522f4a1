import { Option } from 'commander';
import { loadPolicy } from '../../app/load-policy.js';
import type { ReleaseType } from '../../policy/schema.js';
import type { RegisterCommand } from '../context.js';
import { printJson } from '../io.js';

export const registerVersion: RegisterCommand = (program, context) => {
  program
    .command('version')
    .argument('[components...]', 'only these components (default: every component with releasable commits)')
    .description('write the new versions (package.json, package-lock.json, Cargo.toml, Cargo.lock), commit "Release <name> v<version>" and tag')
    .option('--dry-run', 'change nothing; show exactly what would change')
    .option('--allow-dirty', 'run even with uncommitted changes to tracked files')
    .option('--train <name>', 'only the components of this train')
    .addOption(new Option('--type <type>', 'release type').choices(['scheduled', 'hotfix', 'emergency']).default('scheduled'))
    .option('--prerelease', 'make release candidates (e.g. 2.1.0-rc.1) for staging')
    .option('--no-changelog', 'do not prepend the release notes to each CHANGELOG.md')
    .option('--json', 'print JSON')
    .action(async (components: string[], options: { dryRun?: boolean; allowDirty?: boolean; train?: string; type: string; prerelease?: boolean; changelog: boolean; json?: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const { applyVersion } = await import('../../app/apply-version.js');
      const { describeEdit } = await import('../../manifests/plan-file-edits.js');
      const result = await applyVersion({
        cwd: context.globals().cwd,
        policy,
        type: options.type as ReleaseType,
        components,
        dryRun: options.dryRun === true,
        allowDirty: options.allowDirty === true,
        // A release candidate is not a release: its notes go to the CHANGELOG when the final version is made.
        changelog: options.changelog && !options.prerelease ? { now: context.io.now() } : false,
        ...(options.train === undefined ? {} : { train: options.train }),
        ...(options.prerelease ? { prerelease: true } : {}),
      });
      if (options.json) {
        return printJson(context.io, {
          applied: result.applied,
          releases: result.steps.map((s) => ({ component: s.component, version: s.version, tag: s.tag, commitMessage: s.message, files: s.edits.map((e) => e.file) })),
          bundleTags: result.bundleTags,
        });
      }
      if (result.steps.length === 0) return context.io.out('nothing to release: no component has releasable commits');
      const lines: string[] = [result.applied ? 'released:' : 'dry run, nothing changed; would release:'];
      for (const step of result.steps) {
        lines.push(`  ${step.tag}  commit "${step.message}"`);
        for (const edit of step.edits) for (const line of describeEdit(edit)) lines.push(`      ${line}`);
      }
      for (const bundle of result.bundleTags) lines.push(`  ${bundle.tag}  (bundle tag)`);
      context.io.out(`${lines.join('\n')}\n`);
    });
};
