/**
 * Times `shipgate plan` on the synthetic monorepo against raw `git log --name-only` over the same
 * commit range, in the same run, and prints the ratio and peak memory. Also times git-cliff (npm
 * `git-cliff`, installed on demand into bench/.work/tools) computing one component's bumped version
 * with a path filter.
 *
 *   npx tsx bench/versioning/bench-plan.ts [--commits 100000] [--runs 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMonorepo } from './generate-monorepo.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.resolve(here, '../.work');
const bin = path.resolve(here, '../../bin/shipgate.js');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] ?? fallback) || fallback;
const commits = option('commits', 100_000);
const runs = option('runs', 3);
const repo = path.join(work, `monorepo-${commits}`);

if (!existsSync(path.join(repo, '.git'))) {
  console.log(`generating ${commits} commits in ${repo} …`);
  await generateMonorepo(repo, commits);
}

interface Sample {
  seconds: number;
  rssMb: number;
  stdout: string;
  stderr: string;
}

/** One run under GNU time: wall seconds and the peak RSS of the largest process in the tree. */
function sample(command: string, commandArgs: string[], cwd: string): Sample {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...commandArgs], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed: ${result.stderr.slice(-500)}`);
  const [seconds = '0', kb = '0'] = result.stderr.trim().split('\n').at(-1)!.split(' ');
  return { seconds: Number(seconds), rssMb: Number(kb) / 1024, stdout: result.stdout, stderr: result.stderr };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const git = (...gitArgs: string[]) => execFileSync('git', gitArgs, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
// Node's own peak (GNU time reports the largest process of the tree, which is git).
const reportRss = 'data:text/javascript,process.on("exit",()=>process.stderr.write("node-max-rss-kb "+process.resourceUsage().maxRSS+"\\n"))';
const planArgs = ['--import', reportRss, bin, 'plan', '--json'];

const first = sample(process.execPath, planArgs, repo);
const planned = JSON.parse(first.stdout) as { components: { name: string; lastTag: string | null; unreleasedCommits: number }[] };
// The same range shipgate walks: everything above the merge base of every component's last tag.
const lastTags = planned.components.map((c) => c.lastTag).filter((t): t is string => t !== null);
const base = git('merge-base', '--octopus', ...lastTags);
const range = Number(git('rev-list', '--count', 'HEAD', `^${base}`));
const rawArgs = ['log', '--name-only', '--format=%H %s', 'HEAD', `^${base}`];
// Interleave the two so that load from anything else on the machine hits both alike.
const plans: Sample[] = [];
const raws: Sample[] = [];
for (let i = 0; i < runs; i += 1) {
  raws.push(sample('git', rawArgs, repo));
  plans.push(sample(process.execPath, planArgs, repo));
}
const plan = { seconds: median(plans.map((s) => s.seconds)), rssMb: Math.max(...plans.map((s) => s.rssMb)) };
const nodeRssMb = Math.max(...plans.map((s) => Number(/node-max-rss-kb (\d+)/.exec(s.stderr)?.[1] ?? 0) / 1024));
const raw = { seconds: median(raws.map((s) => s.seconds)), rssMb: Math.max(...raws.map((s) => s.rssMb)) };

console.log(`repository: ${git('rev-list', '--count', 'HEAD')} commits, ${git('tag').split('\n').length} tags, ${planned.components.length} components`);
console.log(`range walked: ${range} commits`);
console.log(`raw git log --name-only : ${raw.seconds.toFixed(2)} s  peak ${raw.rssMb.toFixed(0)} MB`);
console.log(`shipgate plan (all)     : ${plan.seconds.toFixed(2)} s  peak ${plan.rssMb.toFixed(0)} MB (git inside it), node itself ${nodeRssMb.toFixed(0)} MB`);
console.log(`ratio shipgate / git log: ${(plan.seconds / raw.seconds).toFixed(2)}x  (goal <= 1.5x, peak RSS < 300 MB)`);

const tools = path.join(work, 'tools');
const cliff = path.join(tools, 'node_modules', '.bin', 'git-cliff');
if (!existsSync(cliff)) {
  const install = spawnSync('npm', ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', 'git-cliff@2'], { encoding: 'utf8' });
  if (install.status !== 0) console.log(`git-cliff: could not install from the npm registry (${install.stderr.trim().split('\n').at(-1)})`);
}
if (existsSync(cliff)) {
  const component = planned.components.find((c) => c.name === 'mod1')!;
  const results = Array.from({ length: runs }, () => sample(cliff, ['--bumped-version', '--include-path', 'modules/mod1/**/*', '--tag-pattern', '^mod1/v', '--unreleased'], repo));
  const result = { seconds: median(results.map((r) => r.seconds)), rssMb: Math.max(...results.map((r) => r.rssMb)), stdout: results[0]!.stdout };
  console.log(`git-cliff --bumped-version (mod1 only): ${result.seconds.toFixed(2)} s  peak ${result.rssMb.toFixed(0)} MB  -> ${result.stdout.trim().split('\n').at(-1)}`);
  console.log(`shipgate plans all ${planned.components.length} components in ${(plan.seconds / result.seconds).toFixed(2)}x the time git-cliff takes for one (${component.unreleasedCommits} unreleased commits in mod1)`);
}
