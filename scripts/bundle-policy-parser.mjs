// Bundles the policy parser (dist/policy/parse-policy-once.js with zod and yaml) into one file, run after
// tsc by `npm run build`. Node 20 loads its ~250 modules in a third of a second, one file in a tenth:
// every command run on a repository with a shipgate.yaml that is not in .git/shipgate yet (a fresh
// clone, a CI job) pays for it. load-policy.ts falls back to the modules when the bundle is missing.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/policy/parse-policy-once.js', import.meta.url).pathname],
  outfile: new URL('../dist/policy/parse-policy.bundle.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // yaml is CommonJS and requires node:process.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
