import path from 'node:path';
import { errors } from '../../errors/catalog.js';
import type { RegisterCommand } from '../context.js';
import { formatTable } from '../format-table.js';

export const registerDemo: RegisterCommand = (program, context) => {
  program
    .command('demo')
    .description('create (or reuse) a demo workspace, a monorepo with months of history and releases in several states, and serve its dashboard')
    .option('--dir <dir>', 'the demo workspace: created when missing or empty, reused when it holds an earlier demo', 'shipgate-demo')
    .option('--port <port>', 'the port to listen on (0: any free port)', '7070')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .action(async (options: { dir: string; port: string; host: string }) => {
      const port = /^\d+$/.test(options.port) ? Number(options.port) : Number.NaN;
      if (!Number.isInteger(port) || port > 65_535) throw errors.badOption(`--port must be a port number from 0 to 65535, not "${options.port}"`);
      const { prepareDemo } = await import('../../demo/prepare-demo.js');
      const { startServer } = await import('../../server/serve.js');
      const { default: pino } = await import('pino');
      const started = performance.now();
      const workspace = await prepareDemo({ dir: path.resolve(context.globals().cwd, options.dir) });
      // The request log goes to stderr at warn level: stdout is for the person who ran the demo.
      const log = pino({ level: 'warn', base: { pid: process.pid } }, pino.destination(2));
      let server;
      try {
        server = await startServer({ cwd: workspace.dir, store: workspace.store, host: options.host, port, log });
      } catch (error) {
        await workspace.store.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw errors.badOption(`cannot listen on ${options.host}:${port}: ${code}`, 'choose another --port');
        throw error;
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const [first] = workspace.releases.filter((id) => id.startsWith('identity@'));
      context.io.out(
        [
          `shipgate demo: ${workspace.created ? 'created' : 'reused'} ${workspace.dir} (${workspace.releases.length} releases) in ${seconds} s`,
          '',
          `Open ${server.url}/ and sign in with one of these tokens:`,
          '',
          formatTable(['Sign in as', 'User', 'Token'], workspace.signIns.map((s) => [s.label, s.user, s.token])).trimEnd(),
          '',
          `First click: Releases, then ${first ?? 'the release waiting for its tech lead'}: signed in as the tech lead, approve it and watch its gate pass.`,
          'Signed in as the engineer, the same release offers no approve button.',
          '',
          'Stop with Ctrl-C; run `npm start` again to reuse this workspace and its tokens.',
        ].join('\n'),
      );
      const running = server;
      await new Promise<void>((resolve) => {
        const stop = () => void running.stop().then(resolve, resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      log.flush();
    });
};
