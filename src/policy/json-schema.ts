import { z } from 'zod';
import { policySchema } from './schema.js';

let cached: Record<string, unknown> | undefined;

/**
 * The JSON Schema editors use for shipgate.yaml. A file only overrides the built-in policy, so no key
 * is required in it: `required` lists are dropped, and the run-time check of the merged policy is what
 * reports a key that a new train or checklist item is missing.
 */
export function policyJsonSchema(): Record<string, unknown> {
  cached ??= {
    ...dropRequired(z.toJSONSchema(policySchema, { io: 'input', target: 'draft-2020-12' })),
    $id: 'https://shipgate.dev/schema/shipgate.schema.json',
    title: 'shipgate policy (shipgate.yaml)',
    description: 'Overrides of the built-in release policy; every key is optional.',
  };
  return cached;
}

function dropRequired(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) return node.map(dropRequired) as unknown as Record<string, unknown>;
  if (typeof node !== 'object' || node === null) return node as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required') continue;
    copy[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, dropRequired(v)])) : dropRequired(value);
  }
  return copy;
}
