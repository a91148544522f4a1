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
    expect(file.problems).toEqual([{ line: 9, message: '"!negated": CODEOWNERS does not support negation or character ranges' }]);
  });
});
