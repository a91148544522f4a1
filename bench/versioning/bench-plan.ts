/**
 * Times `shipgate plan` on the synthetic monorepo against raw `git log --name-only` over the same commit
 * range, in the same run, both writing to /dev/null (neither pays for a pipe the other does not). Also
 * times git-cliff computing one component's bumped version with a path filter, for scale.
 *
 *   npm run build && npx tsx bench/versioning/bench-plan.ts [--commits 100000] [--runs 5]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTools, toolCommand } from '../install-tools.js';
import type { Row } from '../peers/bench-peers.js';
import { output, timePair } from '../time-pair.js';
import { generateMonorepo } from './generate-monorepo.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, '../../bin/shipgate.js');

/** Peak resident memory of one run, in MB, as GNU time reports the largest process of the tree. */
function peakMb(argv: readonly string[], cwd: string): number {
  const file = path.join(here, '../.work/peak.txt');
  spawnSync('/usr/bin/time', ['-f', '%M', '-o', file, ...argv], { cwd, stdio: 'ignore' });
  const kb = Number(existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').at(-1) : NaN);
  rmSync(file, { force: true });
  return kb / 1024;
}

export async function benchPlan(options: { runs: number; warmup?: number; commits?: number; quick?: boolean; log?: (line: string) => void }): Promise<Row[]> {
  const commits = options.commits ?? 100_000;
  const log = options.log ?? (() => undefined);
  const repo = path.resolve(here, `../.work/monorepo-${commits}`);
  if (!existsSync(path.join(repo, '.git'))) {
    log(`generating ${commits} commits in ${repo} …`);
    await generateMonorepo(repo, commits);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
  const plan = { argv: [process.execPath, bin, 'plan', '--json'], cwd: repo };
  const planned = JSON.parse(output(plan)) as { components: { name: string; lastTag: string | null; unreleasedCommits: number }[] };
  // The same range shipgate walks: everything above the merge base of every component's last tag.
  const lastTags = planned.components.map((c) => c.lastTag).filter((t): t is string => t !== null);
  const base = git('merge-base', '--octopus', ...lastTags);
  const range = Number(git('rev-list', '--count', 'HEAD', `^${base}`));
  const raw = { argv: ['git', 'log', '--name-only', '--format=%H %s', 'HEAD', `^${base}`], cwd: repo };
  log(`  shipgate plan (${planned.components.length} components) vs git log --name-only over ${range} commits …`);
  const timing = timePair(plan, raw, options.runs, options.warmup);
  const rows: Row[] = [{ benchmark: `plan, all ${planned.components.length} components, ${range} commits`, shipgate: timing.a, other: 'git log --name-only', otherSeconds: timing.b, ratio: timing.ratio, wallRatio: timing.wallRatio, answer: options.quick ? '' : `peak ${peakMb(plan.argv, repo).toFixed(0)} MB` }];
  // For scale, not a comparison of the same work: left out of the quick run.
  if (options.quick) return rows;

  installTools();
  const component = planned.components.find((c) => c.name === 'mod1')!;
  const cliff = { argv: [...toolCommand('git-cliff'), '--bumped-version', '--include-path', 'modules/mod1/**/*', '--tag-pattern', '^mod1/v', '--unreleased'], cwd: repo };
  log('  shipgate plan (all components) vs git-cliff --bumped-version (one component) …');
  const cliffTiming = timePair(plan, cliff, options.runs, options.warmup);
  rows.push({ benchmark: `plan, all components vs one (${component.unreleasedCommits} commits)`, shipgate: cliffTiming.a, other: 'git-cliff --bumped-version, mod1 only', otherSeconds: cliffTiming.b, ratio: cliffTiming.ratio, wallRatio: cliffTiming.wallRatio, answer: output(cliff).trim().split('\n').at(-1) ?? '' });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const option = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
  const rows = await benchPlan({ runs: option('runs', 5), commits: option('commits', 100_000), log: (line) => console.error(line) });
  for (const row of rows) console.log(`${row.benchmark}: shipgate ${row.shipgate.toFixed(2)} s, ${row.other} ${row.otherSeconds.toFixed(2)} s, ratio ${row.ratio.toFixed(2)} (${row.answer})`);
}
