#!/usr/bin/env node
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the modules between runs; Node 20 has no such cache. Enabled
// before anything of shipgate is imported, so that every module is compiled through it.
module.enableCompileCache?.();
// The build's bundle of the CLI (scripts/bundle-cli.mjs) loads a few files instead of hundreds; the
// modules tsc wrote are the fallback when it was not made.
const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
