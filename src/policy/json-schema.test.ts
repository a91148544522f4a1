import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinPolicyData } from '../app/load-policy.js';
import { policyJsonSchema } from './json-schema.js';
import { builtinPolicy } from './parse-policy.js';

describe('schema/builtin-policy.json', () => {
  it('is the built-in policy as the schema parses it (regenerate with `npm run schema`)', async () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/builtin-policy.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(builtinPolicy());
    expect(await builtinPolicyData()).toEqual(builtinPolicy());
  });
});

describe('schema/shipgate.schema.json', () => {
  it('is what the runtime schema generates (regenerate with `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/shipgate.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(policyJsonSchema());
  });

  it('lets editors autocomplete every top-level section and rejects unknown keys', () => {
    const schema = policyJsonSchema() as { properties: Record<string, unknown>; additionalProperties: unknown };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['trains', 'freeze', 'checklist', 'approvals', 'rollback', 'migrations', 'metrics']));
    expect(schema.additionalProperties).toBe(false);
  });
});
