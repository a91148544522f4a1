import { describe, expect, it } from 'vitest';
import { ownersOf, parseCodeowners } from './codeowners.js';

const file = parseCodeowners(`# default owners
*                     @org/everyone
/modules/billing/     @alice bob@example.com   # the billing team
modules/billing/legacy/
docs/*                @writers
*.sql                 @dba
apps/                 @apps-team
/platform/**/Cargo.toml @rustaceans
!negated @nobody
`);

describe('CODEOWNERS', () => {
  it('gives the owners of the last matching line', () => {
    expect(ownersOf(file, 'modules/billing', true)).toEqual(['@alice', 'bob@example.com']);
    expect(ownersOf(file, 'modules/billing/src/index.ts')).toEqual(['@alice', 'bob@example.com']);
    expect(ownersOf(file, 'modules/billing/schema.sql')).toEqual(['@dba']);
    expect(ownersOf(file, 'modules/inventory', true)).toEqual(['@org/everyone']);
  });

  it('makes a path unowned when the last matching line has no owners', () => {
    expect(ownersOf(file, 'modules/billing/legacy/old.js')).toEqual([]);
  });

  it('follows GitHub: docs/* owns files directly in docs only; unanchored dir/ matches at any depth; ** spans directories', () => {
    expect(ownersOf(file, 'docs/guide.md')).toEqual(['@writers']);
    expect(ownersOf(file, 'docs/api/ref.md')).toEqual(['@org/everyone']);
    expect(ownersOf(file, 'src/apps/web/main.ts')).toEqual(['@apps-team']);
    expect(ownersOf(file, 'platform/identity/crates/core/Cargo.toml')).toEqual(['@rustaceans']);
  });

  it('reports lines GitHub does not support instead of guessing', () => {
    expect(file.problems).toEqual([{ line: 9, message: '"!negated": CODEOWNERS does not support negation, character ranges or an escaped leading #' }]);
  });
});

// Each rule of the example in GitHub's "About code owners", after a default `*` line, with the paths its
// comment names; the expected owners are read off those comments, not off this code.
const owners = (rules: string, path: string) => ownersOf(parseCodeowners(`* @global\n${rules}\n`), path);

describe("CODEOWNERS as GitHub's documentation describes it", () => {
  it('*.js: every .js file, at any depth, and only the js owner', () => {
    expect(owners('*.js    @js-owner #This is an inline comment.', 'src/deep/app.js')).toEqual(['@js-owner']);
    expect(owners('*.js    @js-owner', 'src/app.ts')).toEqual(['@global']);
  });

  it('/build/logs/: that directory at the root and its subdirectories', () => {
    expect(owners('/build/logs/ @doctocat', 'build/logs/today.log')).toEqual(['@doctocat']);
    expect(owners('/build/logs/ @doctocat', 'build/logs/2026/01/today.log')).toEqual(['@doctocat']);
    expect(owners('/build/logs/ @doctocat', 'tools/build/logs/today.log')).toEqual(['@global']);
  });

  it('docs/*: files directly in docs/, not further nested files', () => {
    expect(owners('docs/* docs@example.com', 'docs/getting-started.md')).toEqual(['docs@example.com']);
    expect(owners('docs/* docs@example.com', 'docs/build-app/troubleshooting.md')).toEqual(['@global']);
  });

  it('apps/: any file in an apps directory anywhere', () => {
    expect(owners('apps/ @octocat', 'apps/web/main.ts')).toEqual(['@octocat']);
    expect(owners('apps/ @octocat', 'src/team/apps/web/main.ts')).toEqual(['@octocat']);
    // A trailing slash names directories: a file called "apps" is not one.
    expect(owners('apps/ @octocat', 'bin/apps')).toEqual(['@global']);
  });

  it('/docs/ and /scripts/: the root directory and its subdirectories, every listed owner', () => {
    expect(owners('/docs/ @doctocat', 'docs/a/b/c.md')).toEqual(['@doctocat']);
    expect(owners('/docs/ @doctocat', 'site/docs/c.md')).toEqual(['@global']);
    expect(owners('/scripts/ @doctocat @octocat', 'scripts/release.sh')).toEqual(['@doctocat', '@octocat']);
  });

  it('**/logs: a logs directory at any depth', () => {
    for (const path of ['build/logs/x.log', 'scripts/logs/x.log', 'deeply/nested/logs/x.log', 'logs/x.log']) {
      expect(owners('**/logs @octocat', path)).toEqual(['@octocat']);
    }
  });

  it('/apps/ then /apps/github: a later line without owners leaves that subdirectory unowned, one with owners takes it', () => {
    expect(owners('/apps/ @octocat\n/apps/github', 'apps/web/x.ts')).toEqual(['@octocat']);
    expect(owners('/apps/ @octocat\n/apps/github', 'apps/github/x.ts')).toEqual([]);
    expect(owners('/apps/ @octocat\n/apps/github @doctocat', 'apps/github/x.ts')).toEqual(['@doctocat']);
  });

  it('is case sensitive, and the last matching line wins', () => {
    expect(owners('*.JS @upper', 'app.js')).toEqual(['@global']);
    expect(owners('*.js @js-owner\n*.css @css-owner', 'a.js')).toEqual(['@js-owner']);
  });

  it('reports the gitignore forms GitHub says do not work', () => {
    const parsed = parseCodeowners('\\#notes.md @someone\n[abc].md @someone\n!keep.md @someone\n');
    expect(parsed.problems.map((problem) => problem.line)).toEqual([1, 2, 3]);
    expect(parsed.rules).toEqual([]);
  });

  it('answers at once for a line of repeated *a and a long directory name (it took over a minute)', () => {
    const parsed = parseCodeowners(`${'*a'.repeat(30)} @slow\n`);
    expect(ownersOf(parsed, `modules/${'a'.repeat(4000)}b`, true)).toEqual([]);
    expect(ownersOf(parsed, `modules/${'a'.repeat(60)}`, true)).toEqual(['@slow']);
  });

  it('reads escaped spaces in a path', () => {
    expect(owners('docs/my\\ guide/ @writers', 'docs/my guide/intro.md')).toEqual(['@writers']);
  });
});
