/**
 * The policy parser as a CLI run uses it: one policy, parsed once, with zod's JIT off (configure-zod.ts,
 * imported first so that it runs before the schema is made). The build bundles this entry with zod and
 * yaml into one file (scripts/bundle-policy-parser.mjs), whose own copy of zod the setting then stays in.
 */
import './configure-zod.js';

export { parsePolicyText } from './parse-policy.js';
