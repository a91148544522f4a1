import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export interface LoadedScript<Exports> {
  readonly exports: Exports;
  /** V8's compiled code of the script as it stands now (after some calls: their functions too). */
  readonly codeCache: () => Buffer;
  /** Whether V8 refused the cache it was given (another Node version or other flags): it compiled instead. */
  readonly cacheRejected: boolean;
}

/**
 * Runs a one-file CommonJS bundle the build made as a vm.Script, with the V8 code cache the build wrote
 * beside it. Node 20 keeps no compiled code between runs (module.enableCompileCache is Node 22) and an
 * ES module cannot take a cache there; a script can, and with it V8 neither parses nor compiles what the
 * build already compiled. A missing or refused cache only costs the compile. The wrapper text is part of
 * what V8 checks the cache against: keep it fixed. A script has no import(): the bundle must not need one.
 */
export function loadScript<Exports>(file: string, cacheFile?: string): LoadedScript<Exports> {
  // esbuild writes ASCII only (non-ASCII characters escaped), so Latin-1 reads it as is, without UTF-8 decoding.
  const source = readFileSync(file, 'latin1');
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile === undefined ? undefined : readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as Exports };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, codeCache: () => script.createCachedData(), cacheRejected: cachedData !== undefined && script.cachedDataRejected === true };
}
