import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadParserBundle } from './load-parser-bundle.js';
import { parsePolicyText } from './parse-policy.js';

// The CLI parses policy files with the one-file bundle `npm run build` makes (zod's JIT off, no luxon),
// loaded with the code cache the build wrote: it must find exactly what the parser's own modules find.
const bundle = new URL('../../dist/policy/parse-policy.bundle.cjs', import.meta.url);
const cache = new URL('../../dist/policy/parse-policy.bundle.cache', import.meta.url);

describe('the bundled policy parser', () => {
  it('is built by npm run build, with its code cache', () => {
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(cache)).toBe(true);
  });

  it('takes the code cache (V8 compiles nothing the build already compiled)', () => {
    expect(loadParserBundle(bundle.pathname, cache.pathname).cacheRejected).toBe(false);
  });

  it.each([
    ['a valid file', 'timezone: Europe/Berlin\ntrains:\n  module:\n    timezone: America/Los_Angeles\n'],
    ['unknown time zones', 'timezone: Mars/Olympus\ntrains:\n  module:\n    timezone: Europe/Nowhere\n'],
    ['a typo and a bad type', 'freez:\n  before: 2d\nversioning:\n  major:\n    noticeDays: soon\n'],
    ['a duration past a year', 'freeze:\n  before: 400d\n'],
    ['a bad checklist evidence', 'checklist:\n  - id: tests\n    title: Tests\n    evidence: { kind: junk }\n'],
    ['a YAML syntax error', 'trains: [\n'],
  ])('reports what the modules report on %s', async (_name, text) => {
    const ours = loadParserBundle(bundle.pathname, cache.pathname).parsePolicyText(text, 'shipgate.yaml');
    expect(ours).toEqual(parsePolicyText(text, 'shipgate.yaml'));
  });
});
