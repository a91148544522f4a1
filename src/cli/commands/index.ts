import { commandWord } from '../command-word.js';
import type { RegisterCommand } from '../context.js';

export interface CommandModule {
  /** The top-level commands the module registers. */
  readonly names: readonly string[];
  readonly load: () => Promise<RegisterCommand>;
}

/**
 * Every CLI command, in the order `shipgate --help` lists them. Modules load on demand, so a run pays
 * only for its own command's dependencies (the PostgreSQL parser, the database drivers, zod…).
 */
export const commandModules: readonly CommandModule[] = [
  { names: ['init'], load: async () => (await import('./init.js')).registerInit },
  { names: ['policy'], load: async () => (await import('./policy.js')).registerPolicy },
  { names: ['calendar'], load: async () => (await import('./calendar.js')).registerCalendar },
  { names: ['freeze'], load: async () => (await import('./freeze.js')).registerFreeze },
  { names: ['status', 'plan'], load: async () => (await import('./plan.js')).registerPlan },
  { names: ['version'], load: async () => (await import('./version.js')).registerVersion },
  { names: ['notes'], load: async () => (await import('./notes.js')).registerNotes },
  { names: ['branch', 'cherry-pick'], load: async () => (await import('./branch.js')).registerBranch },
  { names: ['migrations'], load: async () => (await import('./migrations.js')).registerMigrations },
  { names: ['release'], load: async () => (await import('./release.js')).registerRelease },
  { names: ['check'], load: async () => (await import('./check.js')).registerCheck },
  { names: ['approve'], load: async () => (await import('./approve.js')).registerApprove },
  { names: ['waive'], load: async () => (await import('./waive.js')).registerWaive },
  { names: ['notice'], load: async () => (await import('./notice.js')).registerNotice },
  { names: ['postmortem'], load: async () => (await import('./postmortem.js')).registerPostmortem },
  { names: ['deploy'], load: async () => (await import('./deploy.js')).registerDeploy },
  { names: ['pipeline'], load: async () => (await import('./pipeline.js')).registerPipeline },
  { names: ['rollback'], load: async () => (await import('./rollback.js')).registerRollback },
  { names: ['artifacts'], load: async () => (await import('./artifacts.js')).registerArtifacts },
  { names: ['signoff'], load: async () => (await import('./signoff.js')).registerSignoff },
  { names: ['record'], load: async () => (await import('./record.js')).registerRecord },
  { names: ['metrics'], load: async () => (await import('./metrics.js')).registerMetrics },
  { names: ['jobs'], load: async () => (await import('./jobs.js')).registerJobs },
  { names: ['notify'], load: async () => (await import('./notify.js')).registerNotify },
  { names: ['serve'], load: async () => (await import('./serve.js')).registerServe },
  { names: ['token'], load: async () => (await import('./token.js')).registerToken },
  { names: ['demo'], load: async () => (await import('./demo.js')).registerDemo },
];

/** The modules a run needs: the one its command names, or all of them (help, a typo). */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const wanted = commandWord(argv);
  // `shipgate --version` needs no command at all; `shipgate --help` lists them all.
  if (wanted === undefined && argv.some((arg) => arg === '--version' || arg === '-V')) return [];
  const own = commandModules.find((module) => wanted !== undefined && module.names.includes(wanted));
  return Promise.all((own ? [own] : commandModules).map((module) => module.load()));
}
