import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMessage } from '../../src/versioning/parse-commit.js';
import { tempDir } from '../helpers/run-cli.js';
import { expectUserOutcome, FUZZ_SECONDS, fuzzRuns, fuzzTimeout, Guard, runBounded, samples, soup } from './fuzz-kit.js';

const FRAGMENTS = [
  'feat', 'fix', 'chore', 'revert', 'Revert "', '(', ')', '(billing)', '!', ': ', ':', ' ', '\n', '\r\n', '\n\n', 'BREAKING CHANGE: ', 'BREAKING-CHANGE: ',
  'Release-As: 2.0.0', 'Refs #12', 'Closes: #3', '(#123)', '- feat: x', '* fix(a): y', '1. feat!: z', 'This reverts commit abc1234def.', '\t', '  ', 'é😀', '\u0000', '#',
];

/** Conventional-looking messages: header, body, footers, with the parts shuffled and broken now and then. */
const conventional = fc
  .record({
    type: fc.oneof(fc.constantFrom('feat', 'fix', 'perf', 'revert', 'docs', 'FEAT'), fc.string({ maxLength: 8 })),
    scope: fc.option(fc.string({ maxLength: 10 })),
    bang: fc.boolean(),
    description: fc.string({ maxLength: 40 }),
    body: fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('- feat(x): squashed', '* fix: another (#7)', '')), { maxLength: 5 }),
    footers: fc.array(fc.tuple(fc.constantFrom('BREAKING CHANGE', 'BREAKING-CHANGE', 'Release-As', 'Refs', 'Token', 'bad token'), fc.constantFrom(': ', ' #', ':'), fc.string({ maxLength: 20 })), { maxLength: 4 }),
  })
  .map(({ type, scope, bang, description, body, footers }) =>
    [`${type}${scope === null ? '' : `(${scope})`}${bang ? '!' : ''}: ${description}`, '', body.join('\n'), '', footers.map(([key, sep, value]) => `${key}${sep}${value}`).join('\n')].join('\n'),
  );

const message = fc.oneof(conventional, soup(FRAGMENTS, 50), fc.string({ maxLength: 300, unit: 'binary' }));

function checkParsed(parsed: ParsedMessage, text: string): void {
  expect(typeof parsed.conventional, text).toBe('boolean');
  for (const change of parsed.changes) {
    expect(change.type, text).toBe(change.type.toLowerCase());
    expect(change.pr === null || Number.isSafeInteger(change.pr), text).toBe(true);
  }
}

describe('fuzz: commit messages', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('parse into changes or "not conventional", never an exception, in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(message, async (text) => checkParsed(await guard.value('commit', text), text)),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  it('stay linear on long, repetitive messages (no regular-expression blow-up)', async () => {
    const long = fc.tuple(fc.constantFrom('feat(', 'a', ' ', '\n', '(#1)', ': ', '\n \n', 'BREAKING CHANGE: x\n', '- '), fc.integer({ min: 1_000, max: 20_000 })).map(([piece, times]) => `feat: x\n\n${piece.repeat(times)}`);
    await fc.assert(fc.asyncProperty(long, async (text) => void (await guard.value('commit', text))), fuzzRuns(Math.min(2, FUZZ_SECONDS)));
  }, fuzzTimeout());

  const workspace = tempDir('shipgate-fuzz-commit-');
  afterAll(() => workspace.cleanup());

  it('through the CLI (freeze check --message): exit 0, 1 or 2 with a one-line error, never a stack trace', () => {
    // Arguments cannot carry NUL bytes; everything else goes as is.
    for (const text of samples(message, 8).map((m) => m.replace(/\u0000/g, ''))) {
      expectUserOutcome(runBounded(['freeze', 'check', '--message', text, '--at', '2026-02-01T12:00'], workspace.dir), text);
    }
  }, fuzzTimeout(0, 8));
});
