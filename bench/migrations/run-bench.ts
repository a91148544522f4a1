/**
 * Lints a generated corpus with shipgate and with squawk in the same run and prints statements per second.
 *   npm run build && npx tsx bench/migrations/run-bench.ts [--migrations 500] [--per 20] [--runs 5]
 * Both tools run as a user runs them (a CLI process over the same files, output to /dev/null), in three pairs
 * of output formats: each tool's default (shipgate's text, squawk's tty report), JSON, and one line per
 * finding (shipgate's GitHub annotations, squawk's gcc format). Runs are interleaved so machine noise hits
 * both alike; the median run counts. Also reported: a run over one migration, where start-up is the cost,
 * and shipgate's in-process core speed, cold (first lint in a process) and warm.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTools, toolCommand } from '../install-tools.js';
import type { Row } from '../peers/bench-peers.js';
import { median, timeOnce, timePair } from '../time-pair.js';
import { generateCorpus } from './generate-corpus.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};

/** For the one table of `npm run bench`: JSON output on the large corpus, shipgate's time / squawk's. */
export function benchLintJson(options: { runs: number; warmup?: number; migrations: number; log?: (line: string) => void }): Row {
  const corpus = generateCorpus(path.join(root, 'bench/.work/corpus'), options.migrations, 20);
  const files = readdirSync(corpus.dir).sort().map((name) => path.relative(root, path.join(corpus.dir, name)));
  installTools();
  options.log?.(`  migrations lint --format json vs squawk --reporter json, ${corpus.statements} statements …`);
  const timing = timePair({ argv: [process.execPath, path.join(root, 'bin/shipgate.js'), 'migrations', 'lint', path.relative(root, corpus.dir), '--format', 'json'], cwd: root }, { argv: [...toolCommand('squawk'), ...files, '--reporter', 'json'], cwd: root }, options.runs, options.warmup ?? 1);
  return { benchmark: `migrations lint, JSON, ${corpus.statements} statements in ${corpus.files} files`, shipgate: timing.a, other: 'squawk --reporter json', otherSeconds: timing.b, ratio: timing.ratio, wallRatio: timing.wallRatio, answer: `${Math.round(corpus.statements / timing.wallA)} vs ${Math.round(corpus.statements / timing.wallB)} statements/s (wall)` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = option('runs', 5);
  const corpus = generateCorpus(path.join(root, 'bench/.work/corpus'), option('migrations', 500), option('per', 20));
  const files = readdirSync(corpus.dir).sort().map((name) => path.join(corpus.dir, name));

  const timed = (command: string[]): number => timeOnce({ argv: command, cwd: root });

  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` first: the benchmark runs the built CLI');
  const shipgateLint = [process.execPath, path.join(root, 'bin/shipgate.js'), 'migrations', 'lint'];
  installTools();
  const squawkBin = toolCommand('squawk');
  const shipgate = [...shipgateLint, path.relative(root, corpus.dir)];
  const squawk = [...squawkBin, ...files.map((file) => path.relative(root, file))];
  const pairs = [
    { output: 'default', shipgate: [...shipgate], squawk: [...squawk] },
    { output: 'json', shipgate: [...shipgate, '--format', 'json'], squawk: [...squawk, '--reporter', 'json'] },
    { output: 'one line per finding', shipgate: [...shipgate, '--format', 'github'], squawk: [...squawk, '--reporter', 'gcc'] },
  ];
  timed(pairs[0]?.shipgate ?? []); // warm the file cache for both
  const times = pairs.map(() => ({ shipgate: [] as number[], squawk: [] as number[] }));
  for (let run = 0; run < runs; run += 1) {
    pairs.forEach((pair, index) => {
      times[index]?.shipgate.push(timed(pair.shipgate));
      times[index]?.squawk.push(timed(pair.squawk));
    });
  }

  // A run over one migration (its up and down file), as on a pull request that adds one: start-up is the cost.
  const oneMigration = files.slice(0, 2).map((file) => path.relative(root, file));
  const startup = { shipgate: [] as number[], squawk: [] as number[] };
  for (let run = 0; run < runs; run += 1) {
    startup.shipgate.push(timed([...shipgateLint, ...oneMigration, '--format', 'json']));
    startup.squawk.push(timed([...squawkBin, ...oneMigration, '--reporter', 'json']));
  }

  // In-process: what the core costs without Node start-up and output.
  const { lintMigrations } = (await import(path.join(root, 'dist/migrations/lint-migrations.js'))) as typeof import('../../src/migrations/lint-migrations.js');
  const { loadPgParser } = (await import(path.join(root, 'dist/migrations/pg-parser.js'))) as typeof import('../../src/migrations/pg-parser.js');
  const sources = files.map((file) => ({ path: path.relative(root, file), text: readFileSync(file, 'utf8') }));
  const parser = await loadPgParser();
  const core: number[] = [];
  for (let run = 0; run <= runs; run += 1) {
    const start = performance.now();
    const report = lintMigrations(sources, { rules: {}, paths: [] }, parser);
    core.push((performance.now() - start) / 1000);
    if (report.statementCount !== corpus.statements) throw new Error(`linted ${report.statementCount} of ${corpus.statements} statements`);
  }

  const perSecond = (seconds: number) => Math.round(corpus.statements / seconds);
  const cli = pairs.map((pair, index) => {
    const shipgateSeconds = median(times[index]?.shipgate ?? []);
    const squawkSeconds = median(times[index]?.squawk ?? []);
    return {
      output: pair.output,
      shipgate: { medianSeconds: shipgateSeconds, statementsPerSecond: perSecond(shipgateSeconds) },
      squawk: { medianSeconds: squawkSeconds, statementsPerSecond: perSecond(squawkSeconds) },
      ratio: squawkSeconds / shipgateSeconds,
    };
  });
  const results = {
    corpus: { files: corpus.files, statements: corpus.statements },
    cpus: (await import('node:os')).cpus().length,
    node: process.version,
    cli,
    oneMigration: { shipgateSeconds: median(startup.shipgate), squawkSeconds: median(startup.squawk) },
    core: { coldStatementsPerSecond: perSecond(core[0] ?? NaN), warmStatementsPerSecond: perSecond(median(core.slice(1))) },
  };
  writeFileSync(path.join(root, 'bench/.work/migrations-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`corpus: ${corpus.statements} statements in ${corpus.files} files; ${results.cpus} CPUs; node ${process.version}; median of ${runs} runs`);
  console.log('output                 shipgate                      squawk                        ratio (shipgate / squawk throughput)');
  for (const pair of cli) {
    const cell = (side: { medianSeconds: number; statementsPerSecond: number }) => `${side.medianSeconds.toFixed(2)} s ${String(side.statementsPerSecond).padStart(7)} statements/s`.padEnd(30);
    console.log(`${pair.output.padEnd(23)}${cell(pair.shipgate)}${cell(pair.squawk)}${pair.ratio.toFixed(2)}`);
  }
  console.log(`one migration (JSON): shipgate ${results.oneMigration.shipgateSeconds.toFixed(3)} s, squawk ${results.oneMigration.squawkSeconds.toFixed(3)} s`);
  console.log(`shipgate core in-process: ${results.core.coldStatementsPerSecond} statements/s cold, ${results.core.warmStatementsPerSecond} warm`);
}
