// Regenerates the committed files derived from the policy schema (run after `npm run build`):
// the JSON Schema editors use, and the built-in policy as parsed JSON, which commands load
// instead of importing zod when there is no shipgate.yaml (it halves their start-up).
import { writeFileSync } from 'node:fs';
import { policyJsonSchema } from '../dist/policy/json-schema.js';
import { builtinPolicy } from '../dist/policy/parse-policy.js';

writeFileSync(new URL('../schema/shipgate.schema.json', import.meta.url), `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
writeFileSync(new URL('../schema/builtin-policy.json', import.meta.url), `${JSON.stringify(builtinPolicy(), null, 2)}\n`);
console.log('wrote schema/shipgate.schema.json and schema/builtin-policy.json');
