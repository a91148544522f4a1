import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { defaultPolicy } from './default-policy.js';
import { didYouMean } from './did-you-mean.js';
import { policyJsonSchema } from './json-schema.js';
import { checkYamlTree } from './check-yaml.js';
import { yamlLocator, type PolicyPath } from './locate-yaml.js';
import { isPlainObject, mergePolicy } from './merge-policy.js';
import { policySchema, type Policy } from './schema.js';
import { checkPolicySemantics } from './check-policy.js';

export interface PolicyProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning';
  readonly path: string;
  readonly message: string;
}

export interface ParsedPolicy {
  /** The effective policy; undefined when any error was found. */
  readonly policy: Policy | undefined;
  readonly problems: readonly PolicyProblem[];
}

/** The built-in policy, parsed through the same schema as any user file. */
export function builtinPolicy(): Policy {
  return policySchema.parse(structuredClone(defaultPolicy));
}

/**
 * Parses a policy file's text over the built-in policy and reports every problem at once, each at
 * the file position it comes from. Pure: the caller reads the file.
 */
export function parsePolicyText(text: string, file: string): ParsedPolicy {
  const lineCounter = new LineCounter();
  // uniqueKeys is checked by checkYamlTree instead: the library's check is quadratic in a map's size.
  // logLevel: the library's warnings go to process.emitWarning, a multi-line stderr message; problems are ours to report.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const syntaxProblem = (offset: number, message: string): PolicyProblem => ({ file, ...lineCounter.linePos(offset), severity: 'error', path: '', message: firstLine(message) });
  if (document.errors.length > 0) return { policy: undefined, problems: document.errors.map((error) => syntaxProblem(error.pos[0], error.message)) };
  const treeProblems = checkYamlTree(document);
  if (treeProblems.length > 0) return { policy: undefined, problems: treeProblems.map((problem) => syntaxProblem(problem.offset, problem.message)) };
  let raw: unknown;
  try {
    // checkYamlTree bounds what aliases expand to, exactly; yaml's own guess would refuse an anchor used 101 times.
    raw = document.toJS({ maxAliasCount: -1 }) ?? {};
  } catch (error) {
    // The yaml library refuses aliases it cannot resolve with a ReferenceError; checkYamlTree should have said so first.
    if (!(error instanceof ReferenceError)) throw error;
    return { policy: undefined, problems: [syntaxProblem(0, error.message)] };
  }
  if (!isPlainObject(raw)) {
    return { policy: undefined, problems: [{ file, line: 1, col: 1, severity: 'error', path: '', message: 'the policy must be a mapping of keys (e.g. "trains:")' }] };
  }
  const locator = yamlLocator(document, lineCounter);
  const at = (path: PolicyPath, where: 'key' | 'value' = 'value') => locator(path, where);
  const merged = mergePolicy(structuredClone(defaultPolicy), raw);
  const result = policySchema.safeParse(merged);
  const schema = result.success ? [] : result.error.issues.flatMap((issue) => schemaProblems(issue, file, at));
  const schemaPaths = new Set(schema.map((problem) => problem.path));
  const semantic = checkPolicySemantics((result.success ? result.data : merged) as Policy)
    .map(({ path, message, severity }) => ({ file, ...at(path), severity, path: formatPath(path), message }))
    .filter((problem) => !schemaPaths.has(problem.path));
  const problems = sortProblems([...schema, ...semantic]);
  const hasError = problems.some((problem) => problem.severity === 'error');
  return { policy: result.success && !hasError ? result.data : undefined, problems };
}

function schemaProblems(issue: z.core.$ZodIssue, file: string, at: (path: PolicyPath, where?: 'key' | 'value') => { line: number; col: number }): PolicyProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const suggestion = didYouMean(key, known);
      const hint = suggestion ? `; did you mean "${suggestion}"?` : known.length > 0 ? `; expected one of: ${known.join(', ')}` : '';
      return { file, ...at(path, 'key'), severity: 'error' as const, path: formatPath(path), message: `unknown key "${key}"${hint}` };
    });
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = `missing required key (expected ${issue.expected})`;
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'evidence') message = 'evidence.kind must be junit, sarif, changed-files or file';
  const prefix = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  return [{ file, ...at(issue.path), severity: 'error', path: formatPath(issue.path), message: `${prefix}${message}` }];
}

/** The keys the schema allows at a path, read from the generated JSON Schema. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let node: Record<string, unknown> | undefined = policyJsonSchema() as Record<string, unknown>;
  for (const segment of path) {
    if (!node) return [];
    const properties = node['properties'] as Record<string, Record<string, unknown>> | undefined;
    if (typeof segment === 'number') node = node['items'] as Record<string, unknown> | undefined;
    else if (properties && Object.hasOwn(properties, String(segment))) node = properties[String(segment)];
    else node = node['additionalProperties'] as Record<string, unknown> | undefined;
    // discriminated unions (checklist evidence) offer the keys of every branch.
    const branches = (node?.['anyOf'] ?? node?.['oneOf']) as Record<string, unknown>[] | undefined;
    if (branches) node = { properties: Object.assign({}, ...branches.map((b) => b['properties'] ?? {})) };
  }
  return Object.keys((node?.['properties'] as Record<string, unknown> | undefined) ?? {});
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`)).join('');
}

function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
