import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../helpers/git-repo.js';
import { expectUserOutcome, fuzzRuns, fuzzTimeout, Guard, mutated, runBounded, samples, soup } from './fuzz-kit.js';

// Only through readPackageJson and readCargoToml: how they read is being reworked, what they promise is not.
const fixture = (name: string) => readFileSync(new URL(`../fixtures/manifests/${name}`, import.meta.url), 'utf8');

const odd = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(3, null, [], {}, '1.0.0', '^1.2.3', 'workspace:*', '../x', '__proto__'));
const maybe = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: value }, { weight: 1, arbitrary: odd });
const packageJsonData = fc.record(
  {
    name: maybe(fc.constantFrom('billing', '@7d/billing')),
    version: maybe(fc.constantFrom('1.0.0', '2.1.0-rc.1', '0.0.0')),
    dependencies: maybe(fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor'), maybe(fc.constantFrom('^1.0.0', 'workspace:*')))),
    devDependencies: maybe(fc.dictionary(fc.string({ maxLength: 4 }), odd)),
    shipgate: maybe(fc.record({ requires: maybe(fc.dictionary(fc.constantFrom('platform', 'billing'), maybe(fc.constantFrom('>=3.1.0', '3')))), compatible: maybe(fc.dictionary(fc.string({ maxLength: 4 }), odd)) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const JSON_FRAGMENTS = ['{', '}', '[', ']', ',', ':', '"version": "1.0.0"', '"version": 1', '"version": "2.0.0"', '"name": null', '"dependencies": 3', '"', '\\', 'null', '\n', ' '];
const packageJson = fc.oneof(
  packageJsonData.map((data) => JSON.stringify(data, null, 2)),
  // Duplicate keys: npm reads the last one.
  fc.tuple(fc.constantFrom('1.0.0', '2.0.0'), fc.constantFrom('1.0.0', '3.0.0')).map(([a, b]) => `{ "name": "billing", "version": "${a}", "version": "${b}" }`),
  fc.constantFrom('null', '[]', '"x"', '3', '', '{}'),
  mutated(fc.constantFrom(fixture('package.json')), JSON_FRAGMENTS),
);

const TOML_FRAGMENTS = [
  '[package]\n', 'name = "identity"\n', 'version = "1.0.0"\n', 'version = 1\n', 'version.workspace = true\n', 'package = { name = "core", version = "1.0.0" }\n',
  '["package"]\n', 'package.version = "1.0.0"\n', '[dependencies]\n', 'a = { path = "../a", version = "1" }\n', '[dependencies.b]\n', 'path = 3\n', '[[bin]]\n',
  '[target.x86_64.dependencies]\n', '[package.metadata.shipgate]\n', 'requires = { platform = 3 }\n', '"""', "'''", '"', "'", '=', '#', '\n', ' ', '1979-05-27T07:32:00Z', 'inf', 'nan',
];
const cargoToml = fc.oneof(soup(TOML_FRAGMENTS, 25), mutated(fc.constantFrom(fixture('Cargo.toml')), TOML_FRAGMENTS));

describe('fuzz: manifests (package.json and Cargo.toml)', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('read into name, version and dependencies, or refuse with the format\'s own error, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(packageJson, cargoToml, async (json, toml) => {
        for (const outcome of [await guard.run('packageJson', json), await guard.run('cargoToml', toml)]) {
          if (!outcome.ok) continue;
          const { name, version } = outcome.value;
          expect(name === null || typeof name === 'string').toBe(true);
          expect(version === null || typeof version === 'string').toBe(true);
        }
      }),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo({ prefix: 'shipgate-fuzz-manifest-' });
    repo.commit('chore: start', { 'modules/billing/package.json': '{ "name": "billing", "version": "1.0.0" }\n', 'platform/identity/Cargo.toml': fixture('Cargo.toml') });
    repo.tag('billing/v1.0.0');
  });
  afterAll(() => repo?.cleanup());

  it('through the CLI (status, plan, notes): exit 0, 1 or 2 with a one-line error, never a stack trace', () => {
    const known: [string, string][] = [['null', fixture('Cargo.toml')], ['{ "name": "billing", "version": 2, "shipgate": { "requires": { "platform": 3 } } }', '[package]\nname = "identity"\nversion = { x = 1 }\n']];
    for (const [index, [json, toml]] of [...known, ...samples(fc.tuple(packageJson, cargoToml), 3)].entries()) {
      repo.commit(`feat(billing): change ${index}`, { 'modules/billing/package.json': json, 'platform/identity/Cargo.toml': toml });
      for (const args of [['status'], ['plan', '--json'], ['notes', 'billing']]) expectUserOutcome(runBounded(args, repo.dir), { args, json, toml });
    }
  }, fuzzTimeout(0, 15));
});
