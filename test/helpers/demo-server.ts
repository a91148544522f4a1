import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { prepareDemo, type DemoWorkspace } from '../../src/demo/prepare-demo.js';
import { buildApp } from '../../src/server/app.js';
import { policySource } from '../../src/server/policy-source.js';
import { tempDir } from './run-cli.js';

/** The demo workspace served in-process on a free loopback port, with a display clock the test sets. */
export interface DemoServer {
  readonly url: string;
  readonly workspace: DemoWorkspace;
  /** What the server takes as now for the calendar and the freeze (never for recorded times); null: the real time. */
  setClock(at: Date | null): void;
  token(label: 'tech lead' | 'module owner' | 'engineer'): string;
  close(): Promise<void>;
}

export async function serveDemo(): Promise<DemoServer> {
  const temp = tempDir('shipgate-demo-');
  const workspace = await prepareDemo({ dir: temp.dir });
  let clock: Date | null = null;
  const app = buildApp({ store: workspace.store, cwd: workspace.dir, log: pino({ level: 'silent' }), policy: policySource(workspace.dir), now: () => clock ?? new Date() });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    workspace,
    setClock: (at) => {
      clock = at;
    },
    token: (label) => workspace.signIns.find((signIn) => signIn.label === label)?.token ?? '',
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workspace.store.close();
      temp.cleanup();
    },
  };
}
