// Bundles the policy parser (dist/policy/parse-policy-once.js with zod and yaml) into one CommonJS file,
// run after tsc by `npm run build`, and writes V8's code cache of it beside it. Node 20 loads its ~250
// modules in a third of a second, one file in a tenth, and one file with its compiled code from the
// cache in half that: every command run on a repository with a shipgate.yaml that is not in
// .git/shipgate yet (a fresh clone, a CI job) pays for it. load-policy.ts falls back to the modules
// when the bundle is missing, and V8 compiles as usual when it refuses the cache (another Node).
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { escapeNonAscii } from './escape-non-ascii.mjs';

const file = new URL('../dist/policy/parse-policy.bundle.cjs', import.meta.url).pathname;
// The ES module bundle of earlier builds.
rmSync(new URL('../dist/policy/parse-policy.bundle.js', import.meta.url).pathname, { force: true });
await build({
  entryPoints: [new URL('../dist/policy/parse-policy-once.js', import.meta.url).pathname],
  outfile: file,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
});
escapeNonAscii(file);

// The cache holds what V8 compiled by the time it is made: parse a few policies first, so that the
// parser's functions a real file needs are in it (and not only the top level).
const { loadParserBundle } = await import('../dist/policy/load-parser-bundle.js');
const { STARTER_POLICY } = await import('../dist/policy/starter-policy.js');
const bundle = loadParserBundle(file);
for (const text of [
  STARTER_POLICY,
  "components:\n  module:\n    paths: ['.']\n    tag: 'v{version}'\n    commitMessage: 'chore(release): v{version}'\n",
  'timezone: Europe/Berlin\ntrains:\n  module:\n    timezone: America/Los_Angeles\nfreeze:\n  before: 2d\n',
  'freez:\n  before: 2d\nversioning:\n  major:\n    noticeDays: soon\n',
  'trains: [\n',
]) bundle.parsePolicyText(text, 'shipgate.yaml');
writeFileSync(new URL('../dist/policy/parse-policy.bundle.cache', import.meta.url).pathname, bundle.codeCache());
