import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { builtinPolicy, parsePolicyText, type ParsedPolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';

export const POLICY_FILE_NAMES = ['shipgate.yaml', 'shipgate.yml'] as const;

export interface LoadedPolicy {
  readonly policy: Policy;
  /** The file it came from, relative to cwd, or "built-in". */
  readonly source: string;
}

/** The policy file a command should read: --policy, else shipgate.yaml in cwd, else none (built-in). */
export function findPolicyFile(cwd: string, policyFile: string | undefined): string | undefined {
  if (policyFile !== undefined) return path.resolve(cwd, policyFile);
  return POLICY_FILE_NAMES.map((name) => path.join(cwd, name)).find((file) => existsSync(file));
}

export async function readPolicyFile(file: string, cwd: string): Promise<{ display: string; parsed: ParsedPolicy }> {
  const display = path.relative(cwd, file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw errors.fileUnreadable(display, reason);
  }
  return { display, parsed: parsePolicyText(text, display) };
}

/** The effective policy for a command; any error in the file stops the command with its position. */
export async function loadPolicy(options: { cwd: string; policyFile: string | undefined }): Promise<LoadedPolicy> {
  const file = findPolicyFile(options.cwd, options.policyFile);
  if (file === undefined) return { policy: builtinPolicy(), source: 'built-in' };
  const { display, parsed } = await readPolicyFile(file, options.cwd);
  const failures = parsed.problems.filter((problem) => problem.severity === 'error');
  const first = failures[0];
  if (parsed.policy === undefined || first) {
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    throw new ShipgateError('EPOLICY', `${first?.message ?? 'invalid policy'}${more}`, {
      where: first ? `${display}:${first.line}:${first.col}` : display,
      hint: `fix the policy file; \`shipgate policy check ${display}\` lists every problem`,
    });
  }
  return { policy: parsed.policy, source: display };
}
