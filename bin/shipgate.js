#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the modules between runs; Node 20 has no such cache. Enabled
// before anything of shipgate is imported, so that every module is compiled through it.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
