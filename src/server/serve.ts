import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import { startJobRunner, type JobRunner } from '../jobs/run-jobs.js';
import type { Store } from '../store/open-store.js';
import { buildApp } from './app.js';
import { policySource } from './policy-source.js';
import { serverJobs } from './server-jobs.js';

export interface ServeOptions {
  readonly cwd: string;
  readonly store: Store;
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
  readonly webhookSecret?: string | undefined;
  /** Job runner tuning (tests shorten the lease to see a dead server's job taken over). */
  readonly jobs?: { readonly leaseMs?: number; readonly pollMs?: number; readonly graceMs?: number; readonly concurrency?: number };
}

export interface RunningServer {
  readonly url: string;
  readonly worker: string;
  /**
   * Stops claiming jobs and lets the claimed ones finish (those past the grace period are handed
   * back), stops taking connections and lets the requests in flight finish, then closes the store.
   */
  stop(): Promise<void>;
}

/** Starts `shipgate serve`: the HTTP API on host:port and the job runner, on one store. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { store, cwd, log } = options;
  const policy = policySource(cwd);
  const jobs = serverJobs({ store, cwd, policy, log });
  try {
    await jobs.start();
  } catch (error) {
    // Without main's policy the server still answers (each request says what is wrong); the jobs wait for it.
    log.error({ err: { message: (error as Error).message } }, 'the server jobs could not be planted: main\'s policy does not load');
  }
  const runner: JobRunner = startJobRunner({
    store,
    handlers: jobs.handlers,
    ...(options.jobs?.leaseMs === undefined ? {} : { leaseMs: options.jobs.leaseMs }),
    ...(options.jobs?.pollMs === undefined ? {} : { pollMs: options.jobs.pollMs }),
    ...(options.jobs?.graceMs === undefined ? {} : { graceMs: options.jobs.graceMs }),
    ...(options.jobs?.concurrency === undefined ? {} : { concurrency: options.jobs.concurrency }),
    log: (entry) => log[entry.level]({ job: entry.job }, entry.message),
  });
  const app = buildApp({ store, cwd, log, policy, webhookSecret: options.webhookSecret, onPush: jobs.onPush });
  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const started = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(started));
      started.once('error', reject);
    });
  } catch (error) {
    await runner.stop();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log.info({ url, worker: runner.worker, store: store.where }, 'listening');
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    log.info('stopping: no new jobs or connections');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    // A client that holds its connection open past the grace period is cut off, not waited for.
    const cutOff = setTimeout(() => ('closeAllConnections' in server ? server.closeAllConnections() : undefined), (options.jobs?.graceMs ?? 10_000) + 5_000);
    await Promise.all([runner.stop(), closed]);
    clearTimeout(cutOff);
    await store.close();
    log.info('stopped');
  };
  return { url, worker: runner.worker, stop: () => (stopped ??= stop()) };
}
