/**
 * Times two commands as a user runs them (whole processes, start-up included), taking turns A B A B …
 * so that whatever else loads the machine hits both alike, with what each prints going to /dev/null
 * (neither pays for a pipe the other does not). Each run's CPU time (user + system of the command and
 * every child it waited for: shipgate's gits count) is the figure compared, since the wall clock of a
 * shared machine moves with the others' work; the wall time is kept beside it. Ratios are taken pair by
 * pair and their median reported.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Command {
  readonly argv: readonly string[];
  readonly cwd: string;
}

export interface Timing {
  /** Seconds of CPU, user + system, of the command's process tree. */
  readonly cpu: number;
  readonly wall: number;
}

export interface PairTiming {
  /** Median CPU seconds of each command. */
  readonly a: number;
  readonly b: number;
  /** Median of the pairs' a/b in CPU time. */
  readonly ratio: number;
  /** The same in wall-clock time. */
  readonly wallA: number;
  readonly wallB: number;
  readonly wallRatio: number;
  readonly runs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const work = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '.work');
let cpuTimer: string | null | undefined;

/** bench/cpu-time.c built once; null without a C compiler (then /proc's 10 ms children times are used). */
function cpuTimerBinary(): string | null {
  if (cpuTimer !== undefined) return cpuTimer;
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cpu-time.c');
  const binary = path.join(work, 'cpu-time');
  mkdirSync(work, { recursive: true });
  if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) spawnSync('cc', ['-O2', '-o', binary, source], { stdio: 'ignore' });
  cpuTimer = existsSync(binary) ? binary : null;
  return cpuTimer;
}

/** This process's waited-for children's CPU seconds (clock ticks of 10 ms; Linux only). */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** One run's CPU and wall seconds; exit 0 or 1 (a rule or gate failed) is a run, anything else a broken benchmark. */
export function measureOnce(command: Command): Timing {
  const timer = cpuTimerBinary();
  const cpuFile = path.join(os.tmpdir(), `shipgate-bench-cpu-${process.pid}`);
  const argv = timer ? [timer, cpuFile, ...command.argv] : [...command.argv];
  const sink = openSync('/dev/null', 'w');
  try {
    const before = timer ? 0 : childrenCpu();
    const start = process.hrtime.bigint();
    const result = spawnSync(argv[0]!, argv.slice(1), { cwd: command.cwd, stdio: ['ignore', sink, sink] });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.error) throw result.error;
    if (result.status !== 0 && result.status !== 1) {
      const again = spawnSync(command.argv[0]!, command.argv.slice(1), { cwd: command.cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
      throw new Error(`${command.argv.join(' ')} exited ${result.status ?? result.signal}: ${again.stderr.slice(-600)}`);
    }
    const cpu = timer ? Number(readFileSync(cpuFile, 'utf8')) / 1e6 : childrenCpu() - before;
    return { cpu, wall };
  } finally {
    closeSync(sink);
    rmSync(cpuFile, { force: true });
  }
}

/** One run's wall seconds. */
export function timeOnce(command: Command): number {
  return measureOnce(command).wall;
}

export function timePair(a: Command, b: Command, runs: number, warmup = 1): PairTiming {
  for (let i = 0; i < warmup; i += 1) {
    measureOnce(a);
    measureOnce(b);
  }
  const as: Timing[] = [];
  const bs: Timing[] = [];
  for (let i = 0; i < runs; i += 1) {
    as.push(measureOnce(a));
    bs.push(measureOnce(b));
  }
  const of = (timings: readonly Timing[], key: keyof Timing) => timings.map((timing) => timing[key]);
  const ratio = (key: keyof Timing) => median(as.map((timing, i) => timing[key] / bs[i]![key]));
  return { a: median(of(as, 'cpu')), b: median(of(bs, 'cpu')), ratio: ratio('cpu'), wallA: median(of(as, 'wall')), wallB: median(of(bs, 'wall')), wallRatio: ratio('wall'), runs };
}

/** What a command prints, for checking that the tools compared give the same answer. */
export function output(command: Command): string {
  const result = spawnSync(command.argv[0]!, command.argv.slice(1), { cwd: command.cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.argv.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr.slice(-600)}`);
  return result.stdout;
}
