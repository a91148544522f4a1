import type { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { storeMigrations } from '../../store/migrations.js';
import type { ServerDeps, ServerEnv } from '../env.js';
import { problemResponse, simpleProblem } from '../problem.js';

/** /healthz: the process answers. /readyz: the store answers and its schema is this shipgate's. */
export function healthRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const wanted = Object.keys(storeMigrations(deps.store.dialect));
    let applied: string[];
    try {
      applied = (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(deps.store.db)).rows.map((row) => row.name);
    } catch {
      return problemResponse(c, simpleProblem(503, 'ESTORE', 'Unavailable', 'the store does not answer', 'check the database'));
    }
    const missing = wanted.filter((name) => !applied.includes(name));
    if (missing.length > 0) return problemResponse(c, simpleProblem(503, 'ESTORE', 'Unavailable', `the store's schema lacks ${missing.join(', ')}`, 'restart the server: it migrates the store when it starts'));
    return c.json({ status: 'ready', store: deps.store.dialect, migrations: applied.length });
  });
}
