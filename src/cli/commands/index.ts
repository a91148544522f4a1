import type { RegisterCommand } from '../context.js';
import { registerCalendar } from './calendar.js';
import { registerFreeze } from './freeze.js';
import { registerInit } from './init.js';
import { registerMigrations } from './migrations.js';
import { registerPolicy } from './policy.js';

/** Every CLI command, in the order `shipgate --help` lists them. */
export const commands: readonly RegisterCommand[] = [registerInit, registerPolicy, registerCalendar, registerFreeze, registerMigrations];
