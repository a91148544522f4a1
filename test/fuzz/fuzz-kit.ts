import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { TestRepo } from '../helpers/git-repo.js';
import { BIN } from '../helpers/run-cli.js';
import type { TargetName, targets } from './targets.js';

/**
 * The fuzz suite's budget: a few seconds per parser in CI, longer with SHIPGATE_FUZZ_SECONDS (say 300
 * for a night). SHIPGATE_FUZZ_SEED replays a run that failed (fast-check prints its seed and path).
 */
export const FUZZ_SECONDS = Number(process.env['SHIPGATE_FUZZ_SECONDS'] ?? 3);
const SEED = process.env['SHIPGATE_FUZZ_SEED'];

/** One parse of one input may take this long; longer is a hang (or a quadratic blow-up) to report. */
export const MAX_MS_PER_INPUT = 2_000;
/** A CLI run may take this long before it is killed and reported as a hang. */
export const MAX_MS_PER_CLI_RUN = 20_000;

/** fast-check options: as many runs as fit in `seconds`, the time limit ending the run, not failing it. */
export function fuzzRuns(seconds = FUZZ_SECONDS): fc.Parameters<unknown> {
  return {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: seconds * 1000,
    markInterruptAsFailure: false,
    endOnFailure: true,
    ...(SEED === undefined ? {} : { seed: Number(SEED) }),
  };
}

/** Vitest's timeout for a test that fuzzes for `seconds` plus `cliRuns` runs of the CLI. */
export function fuzzTimeout(seconds = FUZZ_SECONDS, cliRuns = 0): number {
  return seconds * 1000 + cliRuns * MAX_MS_PER_CLI_RUN + 60_000;
}

interface Reply {
  readonly ok: boolean;
  readonly expected?: boolean;
  readonly value?: unknown;
  readonly name?: string;
  readonly message?: string;
  readonly stack?: string;
  readonly ms: number;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly name: string; readonly message: string };

/**
 * The parsers, run in a worker thread (guard-worker.mjs) so that an input that makes one hang is
 * stopped after MAX_MS_PER_INPUT and reported, where in this thread it would hang the test run: a
 * stuck regular expression cannot be interrupted from the thread that runs it. A call must return,
 * or throw a ShipgateError (or an error its contract names); anything else is a crash the CLI would
 * print with a stack trace and exit 70, and fails the test.
 */
export class Guard {
  private worker!: Worker;
  private calls = 0;
  /** The one call in flight: its id and how to settle it. */
  private pending: { id: number; resolve: (reply: Reply) => void; reject: (error: unknown) => void } | undefined;

  static async start(): Promise<Guard> {
    const guard = new Guard();
    await guard.spawn();
    return guard;
  }

  private async spawn(): Promise<void> {
    const worker = new Worker(new URL('./guard-worker.mjs', import.meta.url));
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    worker.on('message', (message: Reply & { id: number }) => {
      if (this.pending?.id === message.id) this.pending.resolve(message);
    });
    worker.on('error', (error) => this.pending?.reject(error));
  }

  async run<K extends TargetName>(target: K, ...args: Parameters<(typeof targets)[K]>): Promise<Outcome<ReturnType<(typeof targets)[K]>>> {
    const id = (this.calls += 1);
    const reply = await new Promise<Reply | 'hang'>((resolve, reject) => {
      const timer = setTimeout(() => resolve('hang'), MAX_MS_PER_INPUT + 1_000);
      const settle = <T>(done: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        this.pending = undefined;
        done(value);
      };
      this.pending = { id, resolve: settle(resolve), reject: settle(reject) };
      this.worker.postMessage({ id, target, args });
    });
    if (reply === 'hang') {
      this.pending = undefined;
      await this.worker.terminate();
      await this.spawn();
      throw new Error(`${target} hung (no answer within ${MAX_MS_PER_INPUT + 1_000} ms) on input ${preview(args)}`);
    }
    if (reply.ms > MAX_MS_PER_INPUT) throw new Error(`${target} took ${Math.round(reply.ms)} ms (more than ${MAX_MS_PER_INPUT}) on input ${preview(args)}`);
    if (reply.ok) return { ok: true, value: reply.value as ReturnType<(typeof targets)[K]> };
    if (!reply.expected) throw new Error(`${target} crashed on input ${preview(args)}:\n${reply.stack}`);
    return { ok: false, name: reply.name ?? 'Error', message: reply.message ?? '' };
  }

  /** The value, failing the test when the parser refused the input instead of answering it. */
  async value<K extends TargetName>(target: K, ...args: Parameters<(typeof targets)[K]>): Promise<ReturnType<(typeof targets)[K]>> {
    const outcome = await this.run(target, ...args);
    if (!outcome.ok) throw new Error(`${target} threw ${outcome.name}: ${outcome.message} on input ${preview(args)}`);
    return outcome.value;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** A message a user reads on one line. */
export function expectOneLine(message: string, context: unknown): void {
  expect(message.includes('\n'), `multi-line message ${JSON.stringify(message)} for ${preview(context)}`).toBe(false);
}

export interface BoundedRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real CLI, killed when it runs longer than a hang bound. */
export function runBounded(args: readonly string[], cwd: string, env: Record<string, string> = {}): BoundedRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: MAX_MS_PER_CLI_RUN,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  if (result.error !== undefined || result.signal !== null) throw new Error(`shipgate ${args.join(' ')} hung or was killed (${result.signal ?? result.error?.message})`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * What every CLI run on bad input must look like: exit 0, 1 (a rule failed) or 2 (bad input), never a
 * stack trace or "internal error" (exit 70); an error is one `shipgate: ` line, the last; other lines
 * on stderr are one-line warnings.
 */
export function expectUserOutcome(run: BoundedRun, context: unknown): void {
  const where = `${preview(context)}\nstderr: ${run.stderr.slice(0, 2000)}`;
  expect([0, 1, 2], where).toContain(run.code);
  expect(run.stderr, where).not.toMatch(/internal error|^\s+at /m);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  for (const line of lines) expect(line, where).toMatch(/^(shipgate|warning): /);
  const errors = lines.filter((line) => line.startsWith('shipgate: '));
  expect(errors.length, where).toBeLessThanOrEqual(1);
  if (run.code === 2) expect(lines.at(-1) ?? '', where).toMatch(/^shipgate: /);
}

/** Text made of fragments that matter to a format, mixed with arbitrary characters. */
export function soup(fragments: readonly string[], maxLength = 40): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fragments) }, { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) }), { maxLength }).map((parts) => parts.join(''));
}

/** Small edits to a valid text: delete, duplicate or replace a slice, insert a fragment, swap two lines. */
export function mutated(base: fc.Arbitrary<string>, fragments: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...fragments), fc.constantFrom('delete', 'insert', 'replace', 'duplicate', 'swap-lines'));
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) =>
    edits.reduce((current, [at, length, fragment, kind]) => {
      const start = current.length === 0 ? 0 : at % (current.length + 1);
      const end = Math.min(current.length, start + length);
      switch (kind) {
        case 'delete':
          return current.slice(0, start) + current.slice(end);
        case 'insert':
          return current.slice(0, start) + fragment + current.slice(start);
        case 'replace':
          return current.slice(0, start) + fragment + current.slice(end);
        case 'duplicate':
          return current.slice(0, end) + current.slice(start, end) + current.slice(end);
        case 'swap-lines': {
          const lines = current.split('\n');
          const a = at % lines.length;
          const b = (at + length) % lines.length;
          [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
          return lines.join('\n');
        }
      }
    }, text),
  );
}

/** Inputs for the few real CLI runs of a fuzz file: generated once, the same way the in-process runs are. */
export function samples<T>(arbitrary: fc.Arbitrary<T>, count: number): T[] {
  return fc.sample(arbitrary, { numRuns: count, ...(SEED === undefined ? {} : { seed: Number(SEED) }) });
}

function preview(input: unknown): string {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  return JSON.stringify((text ?? String(input)).slice(0, 600));
}

/**
 * A repository with billing@2.1.0 open and every passing report in place, for the CLI runs that feed
 * `shipgate check` one fuzzed report (or CODEOWNERS) at a time.
 */
export async function gatesWorkspace(): Promise<{ repo: TestRepo; check: () => BoundedRun }> {
  // Imported here: the gate fixtures bring the store, which the other fuzz files have no use for.
  const { billingRepo, commitDocs, PEOPLE, putPassingReports } = await import('../helpers/gate-fixtures.js');
  const repo = billingRepo();
  commitDocs(repo);
  putPassingReports(repo);
  repo.git('config', 'user.email', PEOPLE.releaser);
  const created = runBounded(['release', 'create', 'billing'], repo.dir);
  if (created.code !== 0) throw new Error(`release create failed: ${created.stderr}`);
  return { repo, check: () => runBounded(['check', 'billing@2.1.0'], repo.dir) };
}
