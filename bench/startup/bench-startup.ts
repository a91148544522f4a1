/**
 * The start-up of the commands a CI job runs every time, as bin/shipgate.js runs them (each from its
 * one-file bundle with the V8 code cache the build wrote), against the same commands from the split
 * bundle of the same build (dist/bundle/main.js, which bin runs for every other command), on the
 * 300-tag repository of bench-peers. Both must print the same thing; the ratio is the one file's gain.
 *
 *   npm run bench -- --only startup
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repository, type Row } from '../peers/bench-peers.js';
import { output, timePair, type Command } from '../time-pair.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function benchStartup(options: { runs: number; warmup?: number; log?: (line: string) => void }): Promise<Row[]> {
  const cwd = await repository('medium');
  const log = options.log ?? (() => undefined);
  const split = `import(${JSON.stringify(path.join(root, 'dist/bundle/main.js'))}).then((m) => m.main(process.argv.slice(1))).then((code) => { process.exitCode = code; })`;
  const rows: Row[] = [];
  // With a V8 flag, V8 refuses the build's code cache (made without it) and compiles the one file.
  const flag = ['--max-old-space-size=4096'];
  const runs: [string[], string[]][] = [[[], ['status']], [[], ['notes', 'acme-app']], [[], ['freeze', 'check', '--message', 'feat: search']], [[], ['version', '--dry-run']], [flag, ['status']], [flag, ['notes', 'acme-app']]];
  for (const [node, args] of runs) {
    const ours: Command = { argv: [process.execPath, ...node, path.join(root, 'bin/shipgate.js'), ...args], cwd };
    const theirs: Command = { argv: [process.execPath, ...node, '--input-type=module', '-e', split, ...args], cwd };
    const answer = output(ours);
    if (answer !== output(theirs)) throw new Error(`shipgate ${args.join(' ')} prints something else from the split bundle`);
    log(`  start-up: ${[...node, ...args].join(' ')} …`);
    // Short runs: at least 9 pairs, a couple of seconds.
    const timing = timePair(ours, theirs, Math.max(options.runs, 9), options.warmup);
    rows.push({
      benchmark: `start-up, ${args.join(' ')}${node.length > 0 ? ` (node ${node.join(' ')}: cache refused)` : ''}`,
      shipgate: timing.a,
      other: 'the split bundle (main.js)',
      otherSeconds: timing.b,
      ratio: timing.ratio,
      wallRatio: timing.wallRatio,
      answer: `${answer.split('\n').length - 1} lines, the same`,
    });
  }
  return rows;
}
