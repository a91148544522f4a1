import { loadScript } from '../runtime/load-script.js';
import type { parsePolicyText } from './parse-policy.js';

export interface ParserBundle {
  readonly parsePolicyText: typeof parsePolicyText;
  /** V8's compiled code of the bundle as it stands now (after some parses: their functions too). */
  readonly codeCache: () => Buffer;
  /** Whether V8 refused the cache it was given (another Node version or other flags): it compiled instead. */
  readonly cacheRejected: boolean;
}

/**
 * Loads the policy parser's one-file CommonJS bundle (scripts/bundle-policy-parser.mjs) with the code
 * cache the build wrote beside it: compiling zod and yaml is half the parser's start-up.
 */
export function loadParserBundle(file: string, cacheFile?: string): ParserBundle {
  const script = loadScript<{ parsePolicyText?: typeof parsePolicyText }>(file, cacheFile);
  const parse = script.exports.parsePolicyText;
  if (typeof parse !== 'function') throw new Error(`${file} does not export parsePolicyText`);
  return { parsePolicyText: parse, codeCache: script.codeCache, cacheRejected: script.cacheRejected };
}
