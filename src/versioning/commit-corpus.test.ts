import { describe, expect, it } from 'vitest';
import { buildNotes } from '../notes/build-notes.js';
import { builtinPolicy } from '../policy/parse-policy.js';
import { planComponent } from './plan-components.js';
import type { Component } from './types.js';

/**
 * Real-world-shaped commit messages, each with the release it must cause after billing v1.2.3 and the
 * entries its notes must carry. Every expectation was worked out by hand from Conventional Commits 1.0.0
 * (types are case-insensitive, BREAKING CHANGE is uppercase, a footer runs until the next `token: ` or
 * `token #`) and the default release rules semantic-release users know: breaking -> major, feat -> minor,
 * fix/perf/revert -> patch, build/chore/ci/docs/style/test/refactor -> nothing. The first seven are the
 * specification's own examples.
 */
interface Case {
  readonly message: string;
  readonly bump: 'major' | 'minor' | 'patch' | null;
  readonly features?: readonly string[];
  readonly fixes?: readonly string[];
  readonly performance?: readonly string[];
  readonly breaking?: readonly string[];
}

const SHIPPED = '9f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9';

const corpus: readonly Case[] = [
  // conventionalcommits.org v1.0.0, "Examples"
  { message: 'feat: allow provided config object to extend other configs\n\nBREAKING CHANGE: `extends` key in config file is now used for extending other config files', bump: 'major', features: ['Allow provided config object to extend other configs'], breaking: ['`extends` key in config file is now used for extending other config files'] },
  { message: 'feat!: send an email to the customer when a product is shipped', bump: 'major', features: ['Send an email to the customer when a product is shipped'], breaking: ['Send an email to the customer when a product is shipped'] },
  { message: 'feat(api)!: send an email to the customer when a product is shipped', bump: 'major', features: ['Send an email to the customer when a product is shipped'], breaking: ['Send an email to the customer when a product is shipped'] },
  { message: 'chore!: drop support for Node 6\n\nBREAKING CHANGE: use JavaScript features not available in Node 6.', bump: 'major', breaking: ['Use JavaScript features not available in Node 6.'] },
  { message: 'docs: correct spelling of CHANGELOG', bump: null },
  { message: 'feat(lang): add Polish language', bump: 'minor', features: ['Add Polish language'] },
  { message: 'fix: prevent racing of requests\n\nIntroduce a request id and a reference to latest request. Dismiss\nincoming responses other than from latest request.\n\nRemove timeouts which were used to mitigate the racing issue but are\nobsolete now.\n\nReviewed-by: Z\nRefs: #123', bump: 'patch', fixes: ['Prevent racing of requests'] },

  // Footers
  { message: 'refactor: drop the v1 handlers\n\nBREAKING CHANGE: the v1 handlers are gone\nclients must call the v2 routes', bump: 'major', breaking: ['The v1 handlers are gone\nclients must call the v2 routes'] },
  { message: 'refactor: move configuration\n\nBREAKING CHANGE: the config moved\n  to shipgate.yaml', bump: 'major', breaking: ['The config moved\nto shipgate.yaml'] },
  { message: 'fix: expire tokens\n\nBREAKING-CHANGE: tokens now expire after 90 days', bump: 'major', fixes: ['Expire tokens'], breaking: ['Tokens now expire after 90 days'] },
  { message: 'feat: lower-case note\n\nbreaking change: is not the uppercase token', bump: 'minor', features: ['Lower-case note'] },
  { message: 'fix: keep a migration paragraph\n\nBREAKING CHANGE: the config moved.\n\nSee the migration guide.', bump: 'major', fixes: ['Keep a migration paragraph'], breaking: ['The config moved.\n\nSee the migration guide.'] },
  { message: 'fix: two breaking notes\n\nBREAKING CHANGE: first\nBREAKING CHANGE: second', bump: 'major', fixes: ['Two breaking notes'], breaking: ['First', 'Second'] },
  { message: 'perf: stream the export\n\nSome context first.\nBREAKING CHANGE: the export is now a stream', bump: 'major', performance: ['Stream the export'], breaking: ['The export is now a stream'] },
  { message: 'fix: handle #hash in names\n\nFixes #45\nRefs: #46', bump: 'patch', fixes: ['Handle #hash in names'] },
  { message: 'fix: explain in the body\n\nThis explains: something, not a footer\nand more', bump: 'patch', fixes: ['Explain in the body'] },
  { message: 'feat: trailing footer spaces\n\nBREAKING CHANGE: spaced out   \n\n', bump: 'major', features: ['Trailing footer spaces'], breaking: ['Spaced out'] },
  { message: 'feat: mark a highlight\n\nHighlight: yes', bump: 'minor', features: ['Mark a highlight'] },
  { message: 'feat: deprecate v1 invoices\n\nDeprecated: GET /api/v1/invoices - Use GET /api/v2/invoices instead. Will be removed in v3.0.0', bump: 'minor', features: ['Deprecate v1 invoices'] },
  { message: 'fix: correct a total\n\nRelease-As: 2.0.0', bump: 'major', fixes: ['Correct a total'] },

  // Headers
  { message: 'FEAT: shouting type', bump: 'minor', features: ['Shouting type'] },
  { message: 'Fix(Billing): mixed case type and scope', bump: 'patch', fixes: ['Mixed case type and scope'] },
  { message: 'fix(invoice pdf): scope with a space', bump: 'patch', fixes: ['Scope with a space'] },
  { message: 'fix:no space after the colon', bump: null },
  { message: 'fix : space before the colon', bump: null },
  { message: 'Update stuff', bump: null },
  { message: ':sparkles: add gitmoji', bump: null },
  { message: 'feat: ✨ sparkle support 🎉', bump: 'minor', features: ['✨ sparkle support 🎉'] },
  { message: 'fix: trailing whitespace   \t', bump: 'patch', fixes: ['Trailing whitespace'] },
  { message: 'fix: a CRLF message\r\n\r\nBody line one.\r\n\r\nRefs: #12\r\n', bump: 'patch', fixes: ['A CRLF message'] },
  { message: 'feat: link a pull request (#321)', bump: 'minor', features: ['Link a pull request'] },
  { message: 'chore(deps): bump lodash from 4.17.20 to 4.17.21', bump: null },
  { message: 'build: switch to esbuild', bump: null },
  { message: 'ci: cache npm', bump: null },
  { message: 'style: format with prettier', bump: null },
  { message: 'test: cover rounding', bump: null },
  { message: 'refactor: extract the tax module', bump: null },
  { message: 'Merge pull request #12 from acme/feature\n\nfeat: new thing', bump: null },

  // Squash merges
  { message: 'feat: billing improvements (#200)\n\n* feat: tax rules per customer\n\n* fix: rounding error\n\n---------\n\nCo-authored-by: Jane Doe <jane@example.com>', bump: 'minor', features: ['Billing improvements', 'Tax rules per customer'], fixes: ['Rounding error'] },
  { message: 'Billing improvements (#201)\n\n* feat: tax rules per customer\n* fix: rounding error', bump: null },
  { message: 'fix: payment retries\n\n- fix: retry on 503\n- perf: shorter backoff\n\nSee merge request acme/billing!42', bump: 'patch', fixes: ['Payment retries', 'Retry on 503'], performance: ['Shorter backoff'] },
  { message: 'feat: new billing API (#300)\n\n* feat!: drop v1 endpoints\n\n* fix: typo', bump: 'major', features: ['New billing API', 'Drop v1 endpoints'], fixes: ['Typo'], breaking: ['Drop v1 endpoints'] },
  { message: 'feat: api v2 (#301)\n\n* feat: add v2 routes\n\nBREAKING CHANGE: v1 routes removed\n\n* fix: response headers', bump: 'major', features: ['Api v2', 'Add v2 routes'], fixes: ['Response headers'], breaking: ['V1 routes removed'] },

  // Reverts of commits an earlier release shipped
  { message: `Revert "feat: tax rules"\n\nThis reverts commit ${SHIPPED}.`, bump: 'patch', fixes: ['Revert "feat: tax rules"'] },
  { message: 'revert: feat: tax rules\n\nRefs: 9f0c1d2', bump: 'patch', fixes: ['Revert "feat: tax rules"'] },
];

const policy = builtinPolicy();
const billing: Component = { name: 'billing', kind: 'module', path: 'modules/billing', manifest: 'modules/billing/package.json', packageName: '@acme/billing', version: '1.2.3', localDependencies: [] };

function release(message: string) {
  const commit = { sha: 'c0ffee'.padEnd(40, '0'), parents: [], authorName: 'A', authorEmail: 'a@example.com', date: '2026-03-01T00:00:00Z', subject: message.split(/\r?\n/)[0] as string, body: message, files: ['modules/billing/index.js'] };
  const plan = planComponent(policy, { component: billing, commits: [commit] }, { type: 'scheduled', reachableTags: ['billing/v1.2.3'], allTags: ['billing/v1.2.3'] });
  const notes = buildNotes(policy, { component: 'billing', kind: 'module', version: plan.nextVersion ?? '1.2.3', previousVersion: '1.2.3', date: '2026-03-01', commits: plan.commits, deprecations: [], migrationGuide: null, knownIssues: null, dependencies: [], prLink: null });
  return { plan, notes };
}

describe('a corpus of real-world commit messages', () => {
  it('holds at least 40 messages', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus.map((entry) => [entry.message.split(/\r?\n/)[0], entry] as const))('%s', (_subject, entry) => {
    const { plan, notes } = release(entry.message);
    expect(plan.bump).toBe(entry.bump);
    expect({
      features: notes.features.map((item) => item.title),
      fixes: notes.fixes.map((item) => item.title),
      performance: notes.performance.map((item) => item.title),
      breaking: notes.breaking,
    }).toEqual({ features: entry.features ?? [], fixes: entry.fixes ?? [], performance: entry.performance ?? [], breaking: entry.breaking ?? [] });
  });
});

describe('reverts', () => {
  it('cancel a commit inside the same unreleased range, and are a patch for one an earlier release shipped', () => {
    const feat = { sha: 'a'.repeat(40), parents: [], authorName: 'A', authorEmail: 'a@example.com', date: '2026-03-01T00:00:00Z', subject: 'feat: tax rules', body: 'feat: tax rules', files: [] };
    const revert = { ...feat, sha: 'b'.repeat(40), subject: 'Revert "feat: tax rules"', body: `Revert "feat: tax rules"\n\nThis reverts commit ${'a'.repeat(40)}.` };
    const options = { type: 'scheduled' as const, reachableTags: ['billing/v1.2.3'], allTags: ['billing/v1.2.3'] };
    expect(planComponent(policy, { component: billing, commits: [revert, feat] }, options).bump).toBeNull();
    expect(planComponent(policy, { component: billing, commits: [revert] }, options).nextVersion).toBe('1.2.4');
  });
});
