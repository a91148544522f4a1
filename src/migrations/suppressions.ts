import { isRuleId } from './rule-catalog.js';

export interface Suppression {
  readonly rules: readonly string[];
  readonly reason: string;
  /** JS index of the comment in the file. */
  readonly index: number;
  readonly length: number;
  readonly scope: 'next-statement' | 'file';
  used: boolean;
}

export interface SuppressionProblem {
  readonly index: number;
  readonly length: number;
  readonly message: string;
}

const MARK = 'shipgate-ignore';

/** Where "shipgate-ignore" occurs in a text, computed once per file so that most gaps are skipped cheaply. */
export function findMarks(text: string): number[] {
  const marks: number[] = [];
  for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + MARK.length)) marks.push(at);
  return marks;
}

/**
 * Reads `-- shipgate-ignore <rule>[, <rule>]: <reason>` comments whose marker lies in [from, to). A
 * suppression without a reason, or naming an unknown rule, is not applied: waiving a rule must say why,
 * and a typo must not silently waive nothing.
 */
export function readSuppressions(
  text: string,
  marks: readonly number[],
  from: number,
  to: number,
  scope: 'next-statement' | 'file',
): { readonly suppressions: readonly Suppression[]; readonly problems: readonly SuppressionProblem[] } {
  const first = firstAtOrAfter(marks, from);
  // Most statements of a file with a suppression have none before them: answer without allocating.
  if (first === marks.length || (marks[first] ?? to) >= to) return NONE;
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  for (let index = first; index < marks.length && (marks[index] ?? to) < to; index += 1) {
    const mark = marks[index] ?? 0;
    const dash = text.lastIndexOf('--', mark);
    // Only a line comment starting with the marker counts, not the word inside a string or other text.
    if (dash === -1 || !/^--[ \t]*$/.test(text.slice(dash, mark))) continue;
    const lineEnd = text.indexOf('\n', mark);
    const rest = text.slice(mark + MARK.length, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
    const isFile = rest.startsWith('-file');
    if (isFile !== (scope === 'file') || /^[\w-]/.test(isFile ? rest.slice(5) : rest)) continue;
    const body = (isFile ? rest.slice(5) : rest).trim();
    const colon = body.indexOf(':');
    const rules = (colon === -1 ? body : body.slice(0, colon)).split(/[\s,]+/).filter((rule) => rule !== '');
    const reason = colon === -1 ? '' : body.slice(colon + 1).trim();
    const at = { index: dash, length: mark + MARK.length + rest.length - dash };
    const unknown = rules.filter((rule) => !isRuleId(rule));
    if (rules.length === 0) problems.push({ ...at, message: 'shipgate-ignore names no rule' });
    else if (unknown.length > 0) problems.push({ ...at, message: `shipgate-ignore names unknown rule ${unknown.map((r) => `"${r}"`).join(', ')}` });
    else if (reason === '') problems.push({ ...at, message: `shipgate-ignore ${rules.join(', ')} has no reason, so it is not applied` });
    else suppressions.push({ index: at.index, length: at.length, rules, reason, scope: isFile ? 'file' : 'next-statement', used: false });
  }
  return { suppressions, problems };
}

const NONE = { suppressions: [], problems: [] } as const;

function firstAtOrAfter(marks: readonly number[], from: number): number {
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((marks[middle] ?? 0) < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first suppression covering `rule`, marking it used. */
export function takeSuppression(suppressions: readonly Suppression[], rule: string): Suppression | undefined {
  const found = suppressions.find((suppression) => suppression.rules.includes(rule));
  if (found !== undefined) found.used = true;
  return found;
}
