import { createRequire } from 'node:module';
import type * as SmolToml from 'smol-toml';

let loaded: typeof SmolToml | undefined;

/**
 * smol-toml, loaded on first use (a Cargo.toml to read or edit): most repositories have none, and the
 * commands that plan every run would pay its load. Its CommonJS build, so that a synchronous reader can
 * load it; every user goes through here, so its TomlError is one class.
 */
export function toml(): typeof SmolToml {
  loaded ??= createRequire(import.meta.url)('smol-toml') as typeof SmolToml;
  return loaded;
}
