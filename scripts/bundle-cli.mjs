// Bundles the CLI (dist/cli/main.js and what it imports, dependencies included) into dist/bundle, run
// after tsc by `npm run build`; bin/shipgate.js runs it when it is there. Node 20 resolves, reads and
// compiles each of the ~300 modules of dist/ and its dependencies one by one (no compile cache before
// Node 22): a handful of files instead is most of a short command's start-up. Code splitting keeps each
// command's own code and dependencies in chunks its dynamic import loads, so `status` does not load the
// server's. dist/bundle sits two levels below the package like dist/cli, so the paths the code finds
// from import.meta.url (package.json, schema/, dist/policy/parse-policy.bundle.cjs) stay right.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { escapeNonAscii } from './escape-non-ascii.mjs';

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
// Native or WebAssembly code found next to the package's files, and packages that find their own files
// at run time (pino's transports run in workers by file name): loaded from node_modules as before.
const external = ['better-sqlite3', 'libpg-query', 'pg-native', 'pino', '@kubernetes/client-node', 'nodemailer'];
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
  external,
  // Dependencies in CommonJS call require() for Node's modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});

/*
 * The commands a CI job runs every time (status/plan, version, notes, freeze), each also as one CommonJS file
 * with V8's code cache beside it: Node 20 cannot cache the compiled code of ES modules, and resolving,
 * reading and compiling a command's ~28 chunks is a third of its run. bin/shipgate.js runs these as
 * scripts (src/runtime/load-script.ts) when one-command.json says they were made by its Node version.
 */
const oneCommand = [
  { module: 'plan', register: 'registerPlan', names: ['status', 'plan'] },
  { module: 'version', register: 'registerVersion', names: ['version'] },
  { module: 'notes', register: 'registerNotes', names: ['notes'] },
  { module: 'freeze', register: 'registerFreeze', names: ['freeze'] },
];
// load-policy.ts takes the policy parser (zod, yaml: two thirds of a bundle that held them) from its own
// bundle, made by the step before this one; its modules are only the fallback when that bundle is missing,
// which a one-command bundle is never made without. A script cannot import(): none may be left in it.
const policyParserFromItsBundle = {
  name: 'policy-parser-from-its-bundle',
  setup(build) {
    build.onResolve({ filter: /\/parse-policy-once\.js$/ }, () => ({ path: 'parse-policy-once', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "export function parsePolicyText() { throw new Error('dist/policy/parse-policy.bundle.cjs is missing: run npm run build'); }",
      loader: 'js',
    }));
  },
};
const { loadScript } = await import('../dist/runtime/load-script.js');
const cli = new URL('../dist/cli/', import.meta.url).pathname;
const commands = {};
const withPolicyParser = existsSync(new URL('../dist/policy/parse-policy.bundle.cjs', import.meta.url));
for (const { module, register, names } of withPolicyParser ? oneCommand : []) {
  const name = `command-${module}`;
  const file = `${outdir}${name}.cjs`;
  await build({
    stdin: { contents: `export { runCli } from './run-cli.js';\nexport { ${register} as register } from './commands/${module}.js';\n`, resolveDir: cli, sourcefile: `${name}.js` },
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    // The file's own URL, as the modules find package.json, schema/ and the policy parser from it.
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: "var __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [policyParserFromItsBundle],
  });
  if (/\bimport\(/.test(escapeNonAscii(file))) throw new Error(`${file} calls import(), which a script run by load-script.ts cannot`);
  // The cache holds what V8 compiled when it is made: the command's help runs its registration and
  // commander's parsing, most of what a run compiles before its own work.
  const script = loadScript(file);
  const quiet = { out() {}, err() {}, isTty: false, cwd: process.cwd(), env: {}, now: () => new Date() };
  await script.exports.runCli([names[0], '--help'], [script.exports.register], quiet);
  writeFileSync(`${file}.tmp`, script.codeCache());
  renameSync(`${file}.tmp`, `${outdir}${name}.cache`);
  for (const word of names) commands[word] = name;
}
writeFileSync(`${outdir}one-command.json`, `${JSON.stringify({ node: process.version, commands }, null, 2)}\n`);
