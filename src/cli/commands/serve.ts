import { errors } from '../../errors/catalog.js';
import type { RegisterCommand } from '../context.js';

export const registerServe: RegisterCommand = (program, context) => {
  program
    .command('serve')
    .description('run the shipgate server in this clone: the HTTP API (/api/v1, token auth), the timeline jobs and the fetch that keeps the clone current; decides with the policy committed on main')
    .option('--port <port>', 'the port to listen on (0: any free port)', '7070')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--db <url>', 'the release store: a PostgreSQL URL (for several servers) or a SQLite file (default: SHIPGATE_DATABASE_URL, else the policy\'s store.sqlite)')
    .action(async (options: { port: string; host: string; db?: string }) => {
      const port = /^\d+$/.test(options.port) ? Number(options.port) : Number.NaN;
      if (!Number.isInteger(port) || port > 65_535) throw errors.badOption(`--port must be a port number from 0 to 65535, not "${options.port}"`);
      const { env } = context.io;
      const { cwd } = context.globals();
      if (context.globals().policyFile !== undefined) throw errors.badOption('the server decides with the policy committed on main: it takes no --policy', 'commit the policy on main; the server fetches it');
      const { serverPolicy } = await import('../../app/governing-policy.js');
      const { openReleaseStore } = await import('../../app/open-store.js');
      const { startServer } = await import('../../server/serve.js');
      const { default: pino } = await import('pino');
      const log = pino({ base: { pid: process.pid } });
      const { policy } = await serverPolicy({ cwd });
      const store = await openReleaseStore({ cwd, policy, db: options.db, env });
      const number = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : Number(env[name]));
      const tuning = { leaseMs: number('SHIPGATE_JOB_LEASE_MS'), pollMs: number('SHIPGATE_JOB_POLL_MS'), graceMs: number('SHIPGATE_JOB_GRACE_MS') };
      let server;
      try {
        server = await startServer({
          cwd,
          store,
          host: options.host,
          port,
          log,
          webhookSecret: env.SHIPGATE_WEBHOOK_SECRET || undefined,
          jobs: Object.fromEntries(Object.entries(tuning).filter(([, value]) => value !== undefined && Number.isFinite(value))),
        });
      } catch (error) {
        await store.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw errors.badOption(`cannot listen on ${options.host}:${port}: ${code}`, 'choose another --port or --host');
        throw error;
      }
      const running = server;
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          log.info({ signal }, 'signal');
          void running.stop().then(resolve, (error: unknown) => {
            log.error({ err: { message: (error as Error).message } }, 'stopping failed');
            resolve();
          });
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      log.flush();
    });
};
