import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { resolveInside } from '../fs/inside-repo.js';
import { cacheDirFor, cacheName, findCommonDir, readCache, writeCache } from '../fs/repo-cache.js';
import type { ParsedPolicy, parsePolicyText } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';

export const POLICY_FILE_NAMES = ['shipgate.yaml', 'shipgate.yml'] as const;

export interface LoadedPolicy {
  readonly policy: Policy;
  /** The file it came from, relative to cwd, or "built-in". */
  readonly source: string;
}

/**
 * The policy file a command should read: --policy, else shipgate.yaml in cwd, else none (built-in).
 * A file named with --policy may be anywhere (the user chose it); the one found in the repository
 * must not be a symlink out of it, whose text (keys included) would end up in error messages.
 */
export function findPolicyFile(cwd: string, policyFile: string | undefined): string | undefined {
  if (policyFile !== undefined) return path.resolve(cwd, policyFile);
  const found = POLICY_FILE_NAMES.find((name) => existsSync(path.join(cwd, name)));
  return found === undefined ? undefined : resolveInside(cwd, found, 'policy file');
}

export async function readPolicyFile(file: string, cwd: string): Promise<{ display: string; parsed: ParsedPolicy }> {
  const { display, text } = await readPolicyText(file, cwd);
  const parsePolicyText = await policyParser();
  return { display, parsed: parsePolicyText(text, display) };
}

async function readPolicyText(file: string, cwd: string): Promise<{ display: string; text: string }> {
  const relative = path.relative(cwd, file);
  const display = relative === '' || relative.startsWith('..') ? file : relative;
  try {
    return { display, text: await readFile(file, 'utf8') };
  } catch (cause) {
    throw errors.fileUnreadable(display, cause);
  }
}

/**
 * The effective policy for a command; any error in the file stops the command with its position. A
 * valid file's policy is kept in the repository's git directory under its exact text (and this build of
 * the parser), so the next command skips YAML, the schema and the checks: 0.15 s of start-up.
 */
export async function loadPolicy(options: { cwd: string; policyFile: string | undefined }): Promise<LoadedPolicy> {
  const file = findPolicyFile(options.cwd, options.policyFile);
  if (file === undefined) return { policy: await builtinPolicyData(), source: 'built-in' };
  const { display, text } = await readPolicyText(file, options.cwd);
  const commonDir = findCommonDir(options.cwd);
  const cache = commonDir === undefined ? undefined : cacheDirFor(commonDir);
  const key = `${parserBuild()}\n${text}`;
  const name = cacheName('policy', key);
  const cached = readCache<Policy>(cache, name, key);
  if (cached !== undefined) return { policy: cached, source: display };
  const parsePolicyText = await policyParser();
  const policy = validPolicy(parsePolicyText(text, display), display, display);
  await writeCache(cache, name, key, policy);
  return { policy, source: display };
}

/**
 * The policy parser. It brings zod and yaml, a third of a second of start-up, so only a policy file
 * pays for it, and it comes from the one-file bundle the build makes, with V8's code cache, when there
 * is one (run from the sources, there is none).
 */
export async function policyParser(): Promise<typeof parsePolicyText> {
  const bundle = new URL('../policy/parse-policy.bundle.cjs', import.meta.url);
  if (existsSync(bundle)) {
    const { loadParserBundle } = await import('../policy/load-parser-bundle.js');
    return loadParserBundle(bundle.pathname, new URL('../policy/parse-policy.bundle.cache', import.meta.url).pathname).parsePolicyText;
  }
  return ((await import('../policy/parse-policy-once.js')) as { parsePolicyText: typeof parsePolicyText }).parsePolicyText;
}

/** Which parser made a cached policy: the size and time of each of its files, so a rebuilt one makes it again. */
function parserBuild(): string {
  const files = [...['calendar/rrule', 'migrations/rule-catalog'].map((name) => new URL(`../${name}${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url).pathname)];
  const policyDir = new URL('../policy/', import.meta.url).pathname;
  for (const name of readdirSync(policyDir).sort()) files.push(path.join(policyDir, name));
  return files.map((file) => {
    const stat = statSync(file, { throwIfNoEntry: false });
    return `${path.basename(file)}:${stat?.size ?? 0}:${stat?.mtimeMs ?? 0}`;
  }).join(' ');
}

/** The parsed policy, or the first error in it at its position (`checkWith` is the file to run `policy check` on). */
export function validPolicy(parsed: ParsedPolicy, display: string, checkWith: string): Policy {
  const failures = parsed.problems.filter((problem) => problem.severity === 'error');
  const first = failures[0];
  if (parsed.policy === undefined || first) {
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
    throw new ShipgateError('EPOLICY', `${first?.message ?? 'invalid policy'}${more}`, {
      category: 'input',
      where: first ? `${display}:${first.line}:${first.col}` : display,
      hint: `fix the policy file; \`shipgate policy check ${checkWith}\` lists every problem`,
    });
  }
  return parsed.policy;
}

/**
 * The built-in policy as the schema parses it, read from schema/builtin-policy.json (generated by
 * `npm run schema`; a test fails when it drifts from the schema and default-policy.ts).
 */
export async function builtinPolicyData(): Promise<Policy> {
  return JSON.parse(await readFile(new URL('../../schema/builtin-policy.json', import.meta.url), 'utf8')) as Policy;
}
