import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, createRepo, type TestRepo } from './helpers/git-repo.js';
import { createMonorepo } from './helpers/monorepo.js';
import { repoFromFixture } from './helpers/repo-from-fixture.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

const track = cleanupAfterEach();
const billingRepo = () => track(repoFromFixture(new URL('./fixtures/notes/billing-history.json', import.meta.url)));
/** Splits Markdown notes into their "## " sections (the title block first). */
const sections = (markdown: string) => Object.fromEntries(markdown.split(/\n(?=## )/).map((block) => [block.split('\n', 1)[0]!, block.trim()]));

describe('shipgate notes', () => {
  it('matches, section by section, the notes written by hand for the fixture repository', () => {
    const repo = billingRepo();
    const run = runCli(['notes', 'billing', '--date', '2026-02-11'], { cwd: repo.dir });
    expect(run.code).toBe(0);
    // test/fixtures/notes/billing-v2.1.0.md was written by hand from billing-history.json, in the policy's layout.
    const expected = sections(readFileSync(new URL('./fixtures/notes/billing-v2.1.0.md', import.meta.url), 'utf8'));
    const actual = sections(run.stdout);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const [title, block] of Object.entries(expected)) expect({ title, block: actual[title] }).toEqual({ title, block });
  });

  it('lets the policy change the wording without forking', () => {
    const repo = billingRepo();
    repo.write('shipgate.yaml', 'notes:\n  sections:\n    - { id: fixes, title: Bug fixes, empty: Nothing fixed }\n    - { id: features, title: New, empty: Nothing new }\n  templates:\n    item: "* {title}{pr}"\n    title: "# {name} {version} released"\n');
    const notes = runCli(['notes', 'billing', '--date', '2026-02-11'], { cwd: repo.dir }).stdout;
    expect(notes.split('\n', 1)[0]).toBe('# billing 2.1.0 released');
    expect(Object.keys(sections(notes))).toEqual(['# billing 2.1.0 released', '## Bug fixes', '## New']);
    expect(notes).toContain('## Bug fixes\n\n* Tax calculation rounding error ([#178](https://github.com/7d-solutions/platform/pull/178))\n');
  });

  it('escapes commit text in HTML so it cannot inject markup, and keeps Unicode intact', () => {
    const repo = billingRepo();
    const html = runCli(['notes', 'billing', '--format', 'html'], { cwd: repo.dir }).stdout;
    expect(html).toContain('Optimize queries for *customer* search with &lt;LIMIT&gt; | [index] and <code>EXPLAIN</code>');
    expect(html).not.toContain('<LIMIT>');
    expect(html).toContain('Ünïcødé, 🚀 and שלום');
    expect(html).toContain('<a href="https://github.com/7d-solutions/platform/pull/123">#123</a>');
    expect(html).toMatch(/^<!DOCTYPE html>/);
  });

  it('gives a past release its own commits and date, and JSON for machines', () => {
    const repo = billingRepo();
    const past = JSON.parse(runCli(['notes', 'billing@2.0.1', '--json'], { cwd: repo.dir }).stdout);
    expect(past.fixes.map((f: { title: string }) => f.title)).toEqual(['V2 invoices endpoint returns totals']);
    expect(past.previousVersion).toBe('2.0.0');
    expect(past.deprecations).toEqual([expect.objectContaining({ what: '`GET /api/v1/invoices`', removal: '3.0.0', removalDate: 'June 2026', since: '2.0.1' })]);
    const missing = runCli(['notes', 'billing@1.0.0'], { cwd: repo.dir });
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing)).toMatch(/there is no release billing\/v1.0.0/);
  });

  it('lists in a MAJOR what it removes, with its migration guide from the BREAKING CHANGE text', () => {
    const repo = billingRepo();
    runCli(['version', 'billing'], { cwd: repo.dir });
    repo.commit('feat(billing)!: drop the v1 invoices API (#200)\n\nBREAKING CHANGE: `GET /api/v1/invoices` is gone; call `GET /api/v2/invoices`.', { 'modules/billing/src/v1.ts': '' });
    const major = runCli(['notes', 'billing'], { cwd: repo.dir }).stdout;
    const s = sections(major);
    expect(major.split('\n', 1)[0]).toBe('# Billing v3.0.0');
    expect(s['## Breaking Changes']).toBe('## Breaking Changes\n\n- `GET /api/v1/invoices` is gone; call `GET /api/v2/invoices`.\n- Removed `GET /api/v1/invoices` (deprecated since v2.0.1)');
    expect(s['## Deprecations']).toBe('## Deprecations\n\nNone');
    expect(s['## Migration Guide']).toBe('## Migration Guide\n\n`GET /api/v1/invoices` is gone; call `GET /api/v2/invoices`.');
    expect(s['## Highlights']).toContain('- Breaking: `GET /api/v1/invoices` is gone');
    // With the migration guide file the policy points at, that file is the guide.
    repo.commit('docs(billing): migration guide', { 'modules/billing/MIGRATION.md': '1. Replace `/api/v1/invoices` calls.\n2. Redeploy.\n' });
    const guided = sections(runCli(['notes', 'billing'], { cwd: repo.dir }).stdout);
    expect(guided['## Migration Guide']).toBe('## Migration Guide\n\n1. Replace `/api/v1/invoices` calls.\n2. Redeploy.');
  });

  it('lists a deprecation announced many releases back until its removal MAJOR, read from an index under the last release', () => {
    const repo = track(createRepo());
    const pkg = (version: string) => ({ 'modules/billing/package.json': `${JSON.stringify({ name: 'billing', version })}\n` });
    repo.commit('chore: billing', pkg('1.0.0'));
    repo.tag('billing/v1.0.0');
    repo.commit('feat(billing): v2 invoices\n\nDeprecated: `GET /v1/invoices` - Use `GET /v2/invoices` instead. Will be removed in v3.0.0', { 'modules/billing/v2.ts': '' });
    repo.commit('feat(billing): payment links\n\nDeprecated: `legacyLinks()` - Use `links()` instead.', { 'modules/billing/links.ts': '' });
    repo.commit('Release billing v1.1.0', pkg('1.1.0'));
    repo.tag('billing/v1.1.0');
    // Many releases between the announcement and the release range, a MAJOR among them.
    const releases = ['1.1.1', '1.1.2', '1.1.3', '2.0.0', '2.0.1', '2.0.2', '2.1.0'];
    for (const [index, version] of releases.entries()) {
      repo.commit(version === '2.0.0' ? 'feat(billing)!: new totals\n\nBREAKING CHANGE: totals are cents' : `fix(billing): change ${index}`, { [`modules/billing/f${index}.ts`]: '' });
      repo.commit(`Release billing v${version}`, pkg(version));
      repo.tag(`billing/v${version}`, `Release billing v${version}`);
    }
    repo.commit('feat(billing): refunds', { 'modules/billing/refunds.ts': '' });

    const notes = () => JSON.parse(runCli(['notes', 'billing', '--json'], { cwd: repo.dir }).stdout) as { version: string; deprecations: { what: string; since: string }[]; removed: string[] };
    const minor = notes();
    expect(minor.version).toBe('2.2.0');
    // The one with a removal version is still listed in 2.x; the one without went away in 2.0.0.
    expect(minor.deprecations).toEqual([expect.objectContaining({ what: '`GET /v1/invoices`', removal: '3.0.0', since: '1.1.0' })]);
    expect(readdirSync(path.join(repo.dir, '.git/shipgate')).filter((name) => name.startsWith('deprecations-'))).toHaveLength(1);
    // From the index, the same answer.
    expect(notes()).toEqual(minor);
    // A past release reads up to its own tag.
    expect(JSON.parse(runCli(['notes', 'billing@1.1.2', '--json'], { cwd: repo.dir }).stdout).deprecations.map((d: { what: string }) => d.what)).toEqual(['`GET /v1/invoices`', '`legacyLinks()`']);

    repo.commit('feat(billing)!: drop v1\n\nBREAKING CHANGE: v1 is gone', { 'modules/billing/v1.ts': '' });
    const major = notes();
    expect(major.version).toBe('3.0.0');
    expect(major.deprecations).toEqual([]);
    expect(major.removed).toEqual([expect.objectContaining({ what: '`GET /v1/invoices`', since: '1.1.0' })]);
  });

  it('rolls up a bundle\'s members under their headings with its bill of materials', () => {
    const repo = createMonorepo();
    track(repo);
    repo.commit('feat(crypto): argon2 hashing (#7)', { 'platform/crypto/src/argon.rs': '\n' });
    repo.commit('fix(identity): token expiry (#8)', { 'platform/identity/src/lib.rs': 'pub fn login() {} // fixed\n' });
    const notes = runCli(['notes', 'platform', '--date', '2026-03-03'], { cwd: repo.dir }).stdout;
    expect(notes.split('\n', 1)[0]).toBe('# Platform v3.2.0');
    expect(notes).toContain('## Bill of Materials\n\n| Component | Kind | Version |\n|-----------|------|---------|\n| crypto | platform | 0.4.0 |\n| identity | platform | 1.4.1 |');
    expect(notes).toContain('## Crypto v0.4.0\n\n**Release Date:** 2026-03-03\n\n### Highlights\n\n- Argon2 hashing');
    expect(notes).toContain('## Identity v1.4.1');
    expect(notes).toContain('### Fixes\n\n- Token expiry (#8)');
  });
});

describe('CHANGELOG.md', () => {
  it('shipgate version prepends the entry, keeps hand edits to older entries, and never duplicates it', () => {
    const repo = billingRepo();
    const handWritten = '# Changelog\n\n## Billing v2.0.1\n\nHand-edited: thanks to *everyone* who reported the totals bug.\n';
    writeFileSync(path.join(repo.dir, 'modules/billing/CHANGELOG.md'), handWritten);
    repo.commit('docs(billing): changelog history');
    expect(runCli(['version', 'billing'], { cwd: repo.dir }).code).toBe(0);
    const changelog = readFileSync(path.join(repo.dir, 'modules/billing/CHANGELOG.md'), 'utf8');
    expect(changelog.startsWith('# Changelog\n\n## Billing v2.1.0\n\n**Release Date:** ')).toBe(true);
    expect(changelog).toContain('### Features\n\n- **Recurring invoices**');
    expect(changelog.endsWith('\n\n## Billing v2.0.1\n\nHand-edited: thanks to *everyone* who reported the totals bug.\n')).toBe(true);
    expect(changelog.match(/## Billing v2.1.0/g)).toHaveLength(1);
    expect(repo.git('show', '--name-only', '--format=', 'billing/v2.1.0')).toContain('modules/billing/CHANGELOG.md');
  });
});
