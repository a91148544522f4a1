import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRepo } from '../helpers/git-repo.js';
import { expectOneLine, expectUserOutcome, fuzzRuns, fuzzTimeout, gatesWorkspace, Guard, samples, type BoundedRun } from './fuzz-kit.js';

// Only through parseCodeowners and ownersOf: how they match is being rewritten, what they promise is not.
const patternPart = fc.constantFrom('*', '**', '*a', 'a*', '?', 'a', 'docs', 'modules', '/', '.', '[ab]', '!', '\\#', '\\ ', 'é', '{a,b}', '+', '(', ')', '$', '^');
const pattern = fc.array(patternPart, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
const owner = fc.constantFrom('@alice', '@org/team', 'bob@example.com', '@', 'not-an-owner', '#comment');
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(pattern, fc.array(owner, { maxLength: 3 })).map(([p, owners]) => [p, ...owners].join(' ')) },
  fc.constantFrom('', '# comment', '   ', '\t*\t@a', '*a'.repeat(30), `${'*a'.repeat(30)} @alice`),
  fc.string({ maxLength: 20 }),
);
const codeowners = fc.tuple(fc.array(line, { maxLength: 15 }), fc.constantFrom('\n', '\r\n')).map(([lines, newline]) => lines.join(newline));
const segment = fc.oneof(fc.constantFrom('a', 'docs', 'modules', 'billing', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', '.github', 'é', '*', '[ab]'), fc.string({ maxLength: 8 }));
const filePath = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '/', '//')).map(([segments, edge]) => `${edge}${segments.join('/')}${edge}`);

describe('fuzz: CODEOWNERS', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('parse into rules and problems, and answer the owners of any path in bounded time, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(codeowners, fc.array(filePath, { minLength: 1, maxLength: 4 }), async (text, paths) => {
        const { problems, owners } = await guard.value('codeowners', text, paths);
        for (const problem of problems) expectOneLine(problem.message, text);
        for (const list of owners) expect(Array.isArray(list)).toBe(true);
      }),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  let workspace: { repo: TestRepo; check: () => BoundedRun };
  beforeAll(async () => {
    workspace = await gatesWorkspace();
  }, 120_000);
  afterAll(() => workspace?.repo.cleanup());

  it('through the CLI (shipgate check, which reads the module owners from CODEOWNERS): exit 1 or 2 with a one-line error, never a stack trace', () => {
    for (const [index, text] of ['', '/modules/billing/ @alice\n!x @bob\n', ...samples(codeowners, 4)].entries()) {
      workspace.repo.commit(`chore: CODEOWNERS ${index}`, { '.github/CODEOWNERS': text });
      const run = workspace.check();
      expectUserOutcome(run, text);
      expect([1, 2], text).toContain(run.code);
    }
  }, fuzzTimeout(0, 7));
});
