#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the modules between runs; Node 20 has no such cache. Enabled
// before anything of shipgate is imported, so that every module is compiled through it.
module.enableCompileCache?.();
const argv = process.argv.slice(2);
process.exitCode = (await oneCommand(argv)) ?? (await wholeCli(argv));

/**
 * status, plan, version, notes and freeze from their one-file bundles with the V8 code cache the build
 * wrote (scripts/bundle-cli.mjs). Another Node refuses that cache: where it has a compile cache for
 * modules of its own (22.1+), the split bundle is run instead; Node 20's start is quicker from the one
 * file even when it compiles it.
 */
async function oneCommand(argv) {
  const dir = new URL('../dist/bundle/', import.meta.url);
  let made;
  try {
    made = JSON.parse(readFileSync(new URL('one-command.json', dir), 'utf8'));
  } catch {
    return undefined;
  }
  if (made.node !== process.version && module.enableCompileCache) return undefined;
  const { commandWord } = await import('../dist/cli/command-word.js');
  const name = made.commands[commandWord(argv)];
  if (typeof name !== 'string') return undefined;
  const { loadScript } = await import('../dist/runtime/load-script.js');
  const { exports } = loadScript(new URL(`${name}.cjs`, dir).pathname, new URL(`${name}.cache`, dir).pathname);
  return exports.runCli(argv, [exports.register]);
}

// The build's bundle of the CLI (scripts/bundle-cli.mjs) loads a few files instead of hundreds; the
// modules tsc wrote are the fallback when it was not made.
async function wholeCli(argv) {
  const bundle = new URL('../dist/bundle/main.js', import.meta.url);
  const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
  return main(argv);
}
