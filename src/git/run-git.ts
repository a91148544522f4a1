import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ShipgateError } from '../errors/shipgate-error.js';

export interface GitOptions {
  readonly cwd: string;
  /** Extra environment (e.g. GIT_AUTHOR_DATE); the rest is inherited. */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  readonly okCodes?: readonly number[];
  readonly input?: string;
  /** Kills git when aborted (a job whose server is stopping must not wait on a hung fetch). */
  readonly signal?: AbortSignal;
}

export interface GitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

// Git is spawned without a shell, with a stable locale and no pager or prompts, so its output is
// parseable and no argument is ever interpreted by a shell. Paths come from directory names, so they
// are literal: a directory named `:(glob)*` or `:!x` is that directory, not pathspec magic.
// Refs and paths taken from data must still end git's options: callers put `--end-of-options` before
// revisions and `--` before paths, so a tag named `--output=/x` is a name and never an option.
function gitEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_LITERAL_PATHSPECS: '1', ...extra };
}

/** Runs git and returns its output; a non-zero exit (not in okCodes) becomes a user error naming the command. */
export function git(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn('git', args, {
        cwd: options.cwd,
        env: gitEnv(options.env),
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      reject(cannotRun(error as Error, options.cwd));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(options.signal?.aborted ? (options.signal.reason as Error) : cannotRun(error, options.cwd)));
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 };
      if (result.code === 0 || options.okCodes?.includes(result.code)) resolve(result);
      else reject(gitFailed(args, result));
    });
    if (options.input !== undefined && child.stdin) {
      // git may exit before reading its input (an error); that is reported by its exit code, not EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/**
 * Streams git's stdout as records that each begin with `separator` (a `git log --format` over many
 * commits), without holding it all; the text is kept as is (commit bodies keep their \r). A throw from
 * `onRecord` stops git and rejects. A repository with no commits yet has no records rather than an error.
 */
export function gitRecords(args: readonly string[], options: GitOptions, separator: string, onRecord: (record: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn('git', args, { cwd: options.cwd, env: gitEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      reject(cannotRun(error as Error, options.cwd));
      return;
    }
    child.stdout.setEncoding('utf8');
    let buffer = '';
    const err: Buffer[] = [];
    let failed: unknown;
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let start = buffer.indexOf(separator);
      let next = buffer.indexOf(separator, start + 1);
      try {
        while (start >= 0 && next > start) {
          onRecord(buffer.slice(start + separator.length, next));
          start = next;
          next = buffer.indexOf(separator, start + 1);
        }
      } catch (error) {
        failed = error;
        child.kill();
      }
      buffer = start >= 0 ? buffer.slice(start) : buffer;
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(cannotRun(error, options.cwd)));
    child.on('close', (code) => {
      if (failed) return reject(failed);
      if (code !== 0) {
        const result = { stdout: '', stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 };
        if (/does not have any commits yet|bad default revision 'HEAD'|unknown revision/.test(result.stderr) && buffer === '') return resolve();
        return reject(gitFailed(args, result));
      }
      try {
        if (buffer.startsWith(separator)) onRecord(buffer.slice(separator.length));
        resolve();
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * Why git could not start. spawn says ENOENT both when git is not on PATH and when the directory it is to
 * run in does not exist, and throws ENOTDIR when that is a file: a wrong -C is not a missing git.
 */
function cannotRun(error: Error, cwd: string): ShipgateError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || (code === 'ENOENT' && !statSync(cwd, { throwIfNoEntry: false })?.isDirectory())) {
    return new ShipgateError('ENODIR', `cannot run git in ${cwd}: ${code === 'ENOTDIR' ? 'not a directory' : 'no such directory'}`, {
      category: 'usage',
      hint: 'run shipgate from your repository, or pass -C <dir> with a directory that exists',
    });
  }
  return new ShipgateError('EGIT', `cannot run git: ${error.message}`, { category: 'unavailable', hint: 'install git and make sure it is on PATH' });
}

function gitFailed(args: readonly string[], result: GitResult): ShipgateError {
  const reason = result.stderr.trim().split('\n').find((line) => /^(fatal|error):/.test(line)) ?? result.stderr.trim().split('\n')[0] ?? `exit ${result.code}`;
  if (/not a git repository/.test(reason)) {
    return new ShipgateError('ENOTGIT', 'not inside a git repository', { category: 'usage', hint: 'run shipgate from your repository, or pass -C <dir>' });
  }
  return new ShipgateError('EGIT', `git ${args[0] ?? ''} failed: ${reason.replace(/^(fatal|error): /, '')}`, { category: 'input', hint: 'see the git message above; nothing was changed' });
}
