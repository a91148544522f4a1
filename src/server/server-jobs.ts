import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { fetchClone } from '../app/fetch-clone.js';
import type { GoverningPolicy } from '../app/governing-policy.js';
import { notesFromRepository } from '../app/message-notes.js';
import { followingCommunicationHandlers } from '../app/notify-handlers.js';
import { plantTimeline } from '../app/plant-timeline.js';
import { plantJob } from '../jobs/job-store.js';
import { jobsDb } from '../jobs/job-transaction.js';
import type { JobHandlers } from '../jobs/run-jobs.js';
import { parseDuration } from '../policy/duration.js';
import type { Store } from '../store/open-store.js';
import { databaseNow } from '../store/write-transaction.js';

/** The kind of the job that plants the timeline's rolling window (any server may run it). */
export const TIMELINE_PLANT = 'timeline-plant';
const FETCH = 'git-fetch';

/**
 * Which clone a server works in: its host and directory. Servers in one clone share its fetch jobs;
 * servers in other clones (other machines) each fetch their own, so a fetch job is of its clone's kind.
 */
export function cloneId(cwd: string): string {
  return createHash('sha256').update(`${hostname()}\0${realpathSync(cwd)}`).digest('hex').slice(0, 12);
}

export interface ServerJobs {
  readonly handlers: JobHandlers;
  /** Plants the first fetch and timeline jobs of this interval (a restart plants none twice). */
  start(): Promise<void>;
  /** A push: every clone known to the store fetches now. Returns the jobs planted. */
  onPush(delivery: string): Promise<number>;
}

/**
 * The server's work as durable jobs: fetching its clone on the policy's interval, planting the
 * timeline for the rolling window, and each timeline step as it falls due (recorded in the releases'
 * history, its messages and branch locks planted, then sent and set: app/step-due.ts). A periodic job
 * plants its successor before it works, so a failing run never ends the chain; keys are the interval's
 * slot, so servers and restarts plant each slot once. The messages' secrets come from `env`
 * (default: the process's environment), read at send time only.
 */
export function serverJobs(options: { store: Store; cwd: string; policy: () => Promise<GoverningPolicy>; log: Logger; env?: Readonly<Record<string, string | undefined>> }): ServerJobs {
  const { store, cwd, log } = options;
  const env = options.env ?? process.env;
  const fetchKind = `${FETCH}:${cloneId(cwd)}`;
  const ms = (duration: string) => parseDuration(duration).as('milliseconds');
  const slot = async (intervalMs: number, ahead: number) => {
    const now = Date.parse(await databaseNow(store.db, store.dialect));
    return new Date((Math.floor(now / intervalMs) + ahead) * intervalMs);
  };
  const plantSlot = async (kind: string, prefix: string, interval: string, ahead: number) => {
    const at = await slot(ms(interval), ahead);
    return plantJob(store, { kind, key: `${prefix}:at:${at.toISOString()}`, runAt: at });
  };
  const server = async () => (await options.policy()).policy.server;

  const handlers: JobHandlers = {
    [fetchKind]: {
      timeoutMs: 5 * 60_000,
      async run({ signal }) {
        await plantSlot(fetchKind, fetchKind, (await server()).fetchInterval, 1);
        const fetched = await fetchClone(cwd, signal);
        if (fetched.note !== null && fetched.fetched) log.warn({ branch: fetched.branch, note: fetched.note }, 'the checkout was not moved to origin');
        // Main may have moved: its policy's timeline is planted again at once, once per commit of main.
        const main = (await options.policy()).codeowners;
        if (main !== 'working-tree') await plantJob(store, { kind: TIMELINE_PLANT, key: `${TIMELINE_PLANT}:main:${main.at}` });
        return fetched;
      },
    },
    [TIMELINE_PLANT]: {
      async run() {
        const { policy } = await options.policy();
        await plantSlot(TIMELINE_PLANT, TIMELINE_PLANT, policy.server.timelineInterval, 1);
        const { steps, planted } = await plantTimeline({ store, policy, windowMs: ms(policy.server.timelineWindow) });
        return { steps: steps.length, planted };
      },
    },
    // Main's policy of the moment; the release notes a message carries are made from this clone.
    ...followingCommunicationHandlers(async () => {
      const { policy } = await options.policy();
      return { store, policy, env, notes: notesFromRepository({ cwd, policy, now: () => new Date() }) };
    }),
  };

  return {
    handlers,
    async start() {
      const { fetchInterval, timelineInterval } = await server();
      await plantSlot(fetchKind, fetchKind, fetchInterval, 0);
      await plantSlot(TIMELINE_PLANT, TIMELINE_PLANT, timelineInterval, 0);
    },
    async onPush(delivery) {
      // Every clone that has a fetch chain going (its next fetch is planted) is told, this one too.
      const rows = await jobsDb(store).selectFrom('jobs').select('kind').distinct().where('kind', 'like', `${FETCH}:%`).where('state', 'in', ['due', 'running']).execute();
      const kinds = new Set([fetchKind, ...rows.map((row) => row.kind)]);
      let planted = 0;
      for (const kind of kinds) if ((await plantJob(store, { kind, key: `${kind}:push:${delivery}` })).planted) planted += 1;
      return planted;
    },
  };
}
