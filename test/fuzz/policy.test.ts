import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultPolicy } from '../../src/policy/default-policy.js';
import { STARTER_POLICY } from '../../src/policy/starter-policy.js';
import { tempDir } from '../helpers/run-cli.js';
import { expectOneLine, expectUserOutcome, fuzzRuns, fuzzTimeout, Guard, mutated, runBounded, samples, soup } from './fuzz-kit.js';

const FRAGMENTS = [
  'version: 1\n', 'trains:\n', '  module:\n', '    cadence: ', '{ rrule: "FREQ=WEEKLY;BYDAY=TU", start: "2026-01-06T10:00" }', 'freeze:\n', '  before: ',
  'roles:\n', 'blackouts:\n', '  - { name: b, from: "2026-12-01", to: "2026-12-31" }', 'environments:\n', '  production: { soak: ', 'approvals:\n',
  '2d', '24h', '99999999999999999999w', '-7d', '0.0001m', '1e400', '-1', '0', '9007199254740993', '.inf', '-.inf', '.nan', '~', 'null', 'true',
  '&a ', '*a', '*b', '<<: *a', '[', ']', '{', '}', ', ', ': ', '- ', '\n', '  ', '    ', '"', "'", '# c', '? ', '!!str ', '!!int ', '!!binary ', '!x ',
  '%YAML 1.2\n', '---\n', '...\n', '|\n', '>-\n', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '9999-12-31', '0000-01-01', '2026-02-30',
  'FREQ=DAILY;COUNT=100000', 'FREQ=YEARLY;UNTIL=99991231', 'Moon/Base', '\t', '\r\n', '\u0000', '\uFEFF', 'é😀',
];

/** Every leaf of the built-in policy, with its value: the places a team's file overrides. */
const LEAVES: readonly { path: readonly string[]; value: unknown }[] = (() => {
  const leaves: { path: string[]; value: unknown }[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    else leaves.push({ path, value: node });
  };
  walk(defaultPolicy, []);
  return leaves;
})();

const hugeNumber = fc.oneof(fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 2, 0.5, 1e21), fc.integer(), fc.double({ noNaN: true }));
const duration = fc.tuple(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 10 ** 9 }), fc.constant('99999999999999999999')), fc.constantFrom('m', 'h', 'd', 'w'), fc.boolean())
  .map(([n, unit, negative]) => `${negative ? '-' : ''}${n}${unit}`);
const date = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const anything: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, '', '__proto__', 'constructor', 'toString', [], {}, 'FREQ=DAILY;COUNT=100000', 'FREQ=YEARLY;UNTIL=00011231', 'Moon/Base'),
  hugeNumber, duration, date, fc.string({ maxLength: 12 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);

/** A value of the leaf's own kind, made odd, most of the time: a number for a number, a duration for a duration. */
function oddValueFor(original: unknown): fc.Arbitrary<unknown> {
  const alike = typeof original === 'number' ? hugeNumber
    : typeof original === 'string' && /^-?\d+(\.\d+)?[mhdw]$/.test(original) ? duration
    : typeof original === 'string' && /^\d{4}-\d{2}-\d{2}/.test(original) ? fc.tuple(date, fc.constantFrom('', 'T10:00', 'T25:61')).map(([d, t]) => d + t)
    : anything;
  return fc.oneof({ weight: 3, arbitrary: alike }, { weight: 1, arbitrary: anything });
}

const setIn = (data: Record<string, unknown>, path: readonly string[], value: unknown) => {
  if (path.length === 0) return;
  let node = data;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1) as string] = value;
};

/** The built-in policy with a few values replaced, written back as YAML: what a team's file looks like when it is wrong. */
const alteredPolicy: fc.Arbitrary<string> = fc
  .array(fc.nat({ max: LEAVES.length - 1 }).chain((index) => oddValueFor(LEAVES[index]?.value).map((value) => ({ index, value }))), { minLength: 1, maxLength: 3 })
  .map((edits) => {
    const data = structuredClone(defaultPolicy) as unknown as Record<string, unknown>;
    for (const { index, value } of edits) setIn(data, LEAVES[index]?.path ?? [], value);
    return stringify(data);
  });

/** Indented `key: value` lines with hostile keys, anchors and aliases: YAML that mostly parses. */
const KEYS = ['version', 'trains', 'module', 'cadence', 'rrule', 'start', 'freeze', 'before', 'roles', 'tech-lead', 'members', 'description', 'blackouts',
  'environments', 'production', 'soak', 'approvals', 'notes', 'highlights', 'migrations', 'rules', '__proto__', 'constructor', 'x', '<<', '? [a]', '*a'];
const VALUES = ['', '1', '2d', '99999999999999999999w', '&a v', '&a', '&b { description: d }', '*a', '*b', '[*a, *a, *a]', '{ x: *a }', '"2026-01-06T10:00"',
  '"9999-12-31"', '[module]', '{}', '[]', '~', '.inf', '!!binary aGk=', '!x y', '|', '- *a'];
const yamlLines = fc.array(fc.tuple(fc.nat({ max: 3 }), fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)), { maxLength: 20 })
  .map((lines) => lines.map(([depth, key, value]) => `${'  '.repeat(depth)}${key}:${value === '' ? '' : ` ${value}`}`).join('\n'));

const policyText = fc.oneof(
  soup(FRAGMENTS, 60),
  yamlLines,
  alteredPolicy,
  mutated(fc.constantFrom(STARTER_POLICY, stringify(defaultPolicy)), FRAGMENTS),
);

describe('fuzz: the policy file', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('parses any text into problems at real positions, or a policy whose calendar has real dates, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(policyText, async (text) => {
        const { problems, instants } = await guard.value('policy', text);
        for (const problem of problems) {
          expect(Number.isInteger(problem.line) && problem.line >= 1 && Number.isInteger(problem.col) && problem.col >= 1, JSON.stringify(problem)).toBe(true);
          expectOneLine(problem.message, text);
        }
        // A policy check accepts must never make "Invalid DateTime" later.
        for (const instant of instants) expect(Number.isFinite(Date.parse(instant)), `${instant} from ${JSON.stringify(text.slice(0, 400))}`).toBe(true);
      }),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  const workspace = tempDir('shipgate-fuzz-policy-');
  afterAll(() => workspace.cleanup());
  const known = [
    'version: 1\nx: *nope\n',
    `version: 1\na: &a [1,1,1,1,1,1,1,1,1]\n${[...'bcdefgh'].map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`).join('\n')}\n`,
    'version: 1\nfreeze:\n  before: 99999999999999999999w\n',
    'version: 1\nroles:\n  __proto__:\n    description: x\n',
    'version: 1\nblackouts:\n  - { name: far, from: "9999-12-01", to: "9999-12-31" }\n',
  ];

  it('through the CLI: policy check, calendar and freeze status exit 0, 1 or 2 with a one-line error, never a stack trace', () => {
    for (const [index, text] of [...known, ...samples(policyText, 4)].entries()) {
      const file = `p${index}.yaml`;
      writeFileSync(path.join(workspace.dir, file), text);
      const check = runBounded(['policy', 'check', file], workspace.dir);
      expectUserOutcome(check, text);
      if (check.code !== 0) continue;
      const calendar = runBounded(['--policy', file, 'calendar', '--no-versions', '--from', '2026-01-01', '--to', '2026-03-01'], workspace.dir);
      expectUserOutcome(calendar, text);
      expect(calendar.stdout, text).not.toMatch(/Invalid/);
      expectUserOutcome(runBounded(['--policy', file, 'freeze', 'status', '--at', '2026-02-01'], workspace.dir), text);
    }
  }, fuzzTimeout(0, 30));
});
