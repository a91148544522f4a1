// Bundles the CLI (dist/cli/main.js and what it imports, dependencies included) into dist/bundle, run
// after tsc by `npm run build`; bin/shipgate.js runs it when it is there. Node 20 resolves, reads and
// compiles each of the ~300 modules of dist/ and its dependencies one by one (no compile cache before
// Node 22): a handful of files instead is most of a short command's start-up. Code splitting keeps each
// command's own code and dependencies in chunks its dynamic import loads, so `status` does not load the
// server's. dist/bundle sits two levels below the package like dist/cli, so the paths the code finds
// from import.meta.url (package.json, schema/, dist/policy/parse-policy.bundle.cjs) stay right.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    main: new URL('../dist/cli/main.js', import.meta.url).pathname,
    // A worker thread starts from a file of its own: the SQL parser's, found beside the chunk that starts it.
    'pg-parser-worker': new URL('../dist/migrations/pg-parser-worker.js', import.meta.url).pathname,
  },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native or WebAssembly code found next to the package's files, and packages that find their own files
  // at run time (pino's transports run in workers by file name): loaded from node_modules as before.
  external: ['better-sqlite3', 'libpg-query', 'pg-native', 'pino', '@kubernetes/client-node', 'nodemailer'],
  // Dependencies in CommonJS call require() for Node's modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
