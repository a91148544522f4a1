import type { RegisterCommand } from '../context.js';
import { registerApprove } from './approve.js';
import { registerBranch } from './branch.js';
import { registerCalendar } from './calendar.js';
import { registerCheck } from './check.js';
import { registerFreeze } from './freeze.js';
import { registerInit } from './init.js';
import { registerMigrations } from './migrations.js';
import { registerNotes } from './notes.js';
import { registerNotice } from './notice.js';
import { registerPlan } from './plan.js';
import { registerPolicy } from './policy.js';
import { registerPostmortem } from './postmortem.js';
import { registerRelease } from './release.js';
import { registerVersion } from './version.js';
import { registerWaive } from './waive.js';

/** Every CLI command, in the order `shipgate --help` lists them. */
export const commands: readonly RegisterCommand[] = [registerInit, registerPolicy, registerCalendar, registerFreeze, registerPlan, registerVersion, registerNotes, registerBranch, registerMigrations, registerRelease, registerCheck, registerApprove, registerWaive, registerNotice, registerPostmortem];
