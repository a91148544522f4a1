/**
 * Every benchmark in one run, printed as one table of ratios (shipgate's time / the other's, median of
 * interleaved pairs: below 1.00 shipgate is faster).
 *
 *   npm run bench                 # 7 pairs per row
 *   npm run bench -- --quick      # 3 pairs per row, no warm-up pair, no peak memory and no git-cliff-for-one-
 *                                 # component row: about 5 minutes once the repositories exist
 *   npm run bench -- --only peers # or plan, lint
 *
 * The repositories, the corpus and the peers (from the npm registry) are made once into bench/.work.
 */
import os from 'node:os';
import { benchLintJson } from './migrations/run-bench.js';
import { benchPeers, type Row } from './peers/bench-peers.js';
import { benchPlan } from './versioning/bench-plan.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const value = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const runs = Number(value('runs') ?? (quick ? 3 : 7));
// The answer checks before each row run every command once, which warms the file cache as a warm-up would.
const warmup = quick ? 0 : 1;
const only = value('only');
const log = (line: string) => process.stderr.write(`${line}\n`);

// Node reads every certificate of this bundle at start-up (45 ms here), for HTTPS that none of the
// commands timed makes; a developer's machine or a CI runner does not set it. Unset for both sides.
if (process.env['NODE_EXTRA_CA_CERTS'] !== undefined) {
  delete process.env['NODE_EXTRA_CA_CERTS'];
  log('note: NODE_EXTRA_CA_CERTS is unset for every command timed');
}

const rows: Row[] = [];
if (only === undefined || only === 'peers') {
  log('peers: next version and release notes');
  rows.push(...(await benchPeers({ runs, warmup, log })));
}
if (only === undefined || only === 'lint') {
  log('migrations lint');
  rows.push(benchLintJson({ runs, warmup, migrations: 5000, log }));
}
if (only === undefined || only === 'plan') {
  log('release plan of a 50-component monorepo');
  rows.push(...(await benchPlan({ runs, warmup, quick, log })));
}

const cells = rows.map((row) => [row.benchmark, `${row.shipgate.toFixed(3)} s`, row.other, `${row.otherSeconds.toFixed(3)} s`, row.ratio.toFixed(2), row.answer]);
const header = ['benchmark', 'shipgate', 'compared with', 'its time', 'ratio', 'both answered'];
const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => cell[i]!.length)));
const line = (cell: readonly string[]) => `| ${cell.map((text, i) => (i === 1 || i === 3 || i === 4 ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join(' | ')} |`;
console.log(`\nnode ${process.version}, ${os.cpus().length} CPUs, median of ${runs} interleaved pairs; ratio = shipgate's time / the other's (below 1.00: shipgate is faster)\n`);
console.log(line(header));
console.log(`| ${widths.map((width, i) => (i === 1 || i === 3 || i === 4 ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`);
for (const cell of cells) console.log(line(cell));
