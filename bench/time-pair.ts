/**
 * Times two commands as a user runs them (whole processes, start-up included), taking turns A B A B …
 * so that whatever else loads the machine hits both alike, with what each prints going to /dev/null
 * (neither pays for a pipe the other does not). The ratio is taken pair by pair and its median reported.
 */
import { closeSync, openSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface Command {
  readonly argv: readonly string[];
  readonly cwd: string;
}

export interface PairTiming {
  /** Median wall seconds of each command. */
  readonly a: number;
  readonly b: number;
  /** Median of the pairs' a/b. */
  readonly ratio: number;
  readonly runs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One run's wall seconds; exit 0 or 1 (a rule or gate failed) is a run, anything else a broken benchmark. */
export function timeOnce(command: Command): number {
  const sink = openSync('/dev/null', 'w');
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(command.argv[0]!, command.argv.slice(1), { cwd: command.cwd, stdio: ['ignore', sink, sink] });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.error) throw result.error;
    if (result.status !== 0 && result.status !== 1) {
      const again = spawnSync(command.argv[0]!, command.argv.slice(1), { cwd: command.cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
      throw new Error(`${command.argv.join(' ')} exited ${result.status ?? result.signal}: ${again.stderr.slice(-600)}`);
    }
    return seconds;
  } finally {
    closeSync(sink);
  }
}

export function timePair(a: Command, b: Command, runs: number, warmup = 1): PairTiming {
  for (let i = 0; i < warmup; i += 1) {
    timeOnce(a);
    timeOnce(b);
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    as.push(timeOnce(a));
    bs.push(timeOnce(b));
  }
  return { a: median(as), b: median(bs), ratio: median(as.map((seconds, i) => seconds / bs[i]!)), runs };
}

/** What a command prints, for checking that the tools compared give the same answer. */
export function output(command: Command): string {
  const result = spawnSync(command.argv[0]!, command.argv.slice(1), { cwd: command.cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.argv.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr.slice(-600)}`);
  return result.stdout;
}
