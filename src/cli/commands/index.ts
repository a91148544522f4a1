import type { RegisterCommand } from '../context.js';
import { registerBranch } from './branch.js';
import { registerCalendar } from './calendar.js';
import { registerFreeze } from './freeze.js';
import { registerInit } from './init.js';
import { registerMigrations } from './migrations.js';
import { registerNotes } from './notes.js';
import { registerPlan } from './plan.js';
import { registerPolicy } from './policy.js';
import { registerVersion } from './version.js';

/** Every CLI command, in the order `shipgate --help` lists them. */
export const commands: readonly RegisterCommand[] = [registerInit, registerPolicy, registerCalendar, registerFreeze, registerPlan, registerVersion, registerNotes, registerBranch, registerMigrations];
