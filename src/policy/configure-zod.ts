import { z } from 'zod';

/**
 * For a CLI run, which parses one policy once. zod's JIT compiles every object schema (new Function)
 * on its first parse so that later parses are fast; for a single parse that costs more than it saves.
 * zod reads the setting when a schema is made, so this module is imported before schema.ts.
 */
z.config({ jitless: true });
