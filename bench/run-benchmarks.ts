/**
 * Every benchmark in one run, printed as one table of ratios (shipgate's CPU time / the other's, median
 * of interleaved pairs: below 1.00 shipgate is faster; the wall-clock ratio beside it).
 *
 *   npm run bench                 # 7 pairs per row
 *   npm run bench -- --quick      # 3 pairs per row, no warm-up pair, no peak memory and no git-cliff-for-one-
 *                                 # component row: about 5 minutes once the repositories exist
 *   npm run bench -- --only peers # or startup, plan, lint
 *
 * The repositories, the corpus and the peers (from the npm registry) are made once into bench/.work.
 */
import os from 'node:os';
import { benchLintJson } from './migrations/run-bench.js';
import { benchPeers, nodeFloor, type Row } from './peers/bench-peers.js';
import { benchStartup } from './startup/bench-startup.js';
import { timePair } from './time-pair.js';
import { benchPlan } from './versioning/bench-plan.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const value = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const runs = Number(value('runs') ?? (quick ? 3 : 7));
// The answer checks before each row run every command once, which warms the file cache as a warm-up would.
const warmup = quick ? 0 : 1;
const only = value('only');
const log = (line: string) => process.stderr.write(`${line}\n`);

// Node 20 parses every certificate of this bundle at start-up, for HTTPS that none of the commands
// timed makes, and a developer's machine or a CI runner does not set it: every command, shipgate and the
// peers alike, runs without it. What it would cost each Node process is measured first and printed.
const extraCaCerts = process.env['NODE_EXTRA_CA_CERTS'];
let caNote: string[] = [];
if (extraCaCerts !== undefined) {
  const bare = { argv: [process.execPath, '-e', '0'], cwd: process.cwd() };
  const timing = timePair({ argv: ['env', ...bare.argv], cwd: bare.cwd }, { argv: ['env', '-u', 'NODE_EXTRA_CA_CERTS', ...bare.argv], cwd: bare.cwd }, 5, 1);
  delete process.env['NODE_EXTRA_CA_CERTS'];
  caNote = [
    `NODE_EXTRA_CA_CERTS (${extraCaCerts}) is set here; every command above was timed without it, as on a machine that does not set it.`,
    `It would cost each Node process: \`node -e 0\` takes ${timing.a.toFixed(3)} s of CPU with it, ${timing.b.toFixed(3)} s without (median of 5 interleaved pairs).`,
  ];
}
const loadBefore = os.loadavg()[0]!;

const rows: Row[] = [];
let floor: string[] = [];
if (only === undefined || only === 'peers') {
  log('peers: next version and release notes');
  rows.push(...(await benchPeers({ runs, warmup, log })));
  log('peers: the floor for any Node program');
  floor = await nodeFloor({ runs, warmup });
}
if (only === undefined || only === 'startup') {
  log('start-up: the one-file commands against the split bundle');
  rows.push(...(await benchStartup({ runs, warmup, log })));
}
if (only === undefined || only === 'lint') {
  log('migrations lint');
  rows.push(benchLintJson({ runs, warmup, migrations: 5000, log }));
}
if (only === undefined || only === 'plan') {
  log('release plan of a 50-component monorepo');
  rows.push(...(await benchPlan({ runs, warmup, quick, log })));
}

const cells = rows.map((row) => [row.benchmark, `${row.shipgate.toFixed(3)} s`, row.other, `${row.otherSeconds.toFixed(3)} s`, row.ratio.toFixed(2), row.wallRatio.toFixed(2), row.answer]);
const header = ['benchmark', 'shipgate CPU', 'compared with', 'its CPU', 'ratio', 'wall ratio', 'both answered'];
const numeric = (i: number) => i === 1 || i === 3 || i === 4 || i === 5;
const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => cell[i]!.length)));
const line = (cell: readonly string[]) => `| ${cell.map((text, i) => (numeric(i) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join(' | ')} |`;
console.log(`\nnode ${process.version}, ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end, median of ${runs} interleaved pairs`);
console.log("CPU = user + system seconds of the whole process tree (shipgate's git children included); ratio = shipgate's CPU / the other's (below 1.00: shipgate is faster); wall ratio = the same in wall-clock time\n");
console.log(line(header));
console.log(`| ${widths.map((width, i) => (numeric(i) ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`);
for (const cell of cells) console.log(line(cell));
if (floor.length > 0) console.log(`\n${floor.join('\n')}`);
if (caNote.length > 0) console.log(`\n${caNote.join('\n')}`);
