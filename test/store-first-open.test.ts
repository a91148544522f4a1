import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore, type StoreLocation } from '../src/store/open-store.js';
import { createRelease, listReleases } from '../src/store/releases.js';
import { storeBackends } from './helpers/stores.js';

const CHILD = new URL('./helpers/open-store-child.mjs', import.meta.url);

interface ChildRun {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Opens a store in a real node process; it kills itself before statement `killAt`, or the test kills it `killAfterMs` after it is ready. */
function openInChild(db: string, options: { killAt?: number; killAfterMs?: number } = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(options.killAt === undefined ? {} : { SHIPGATE_TEST_KILL_AT: String(options.killAt) }) };
    const child = spawn(process.execPath, [CHILD.pathname, db], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.killAfterMs !== undefined && stdout.startsWith('ready\n') && !stdout.slice(6).includes('\n')) {
        const delay = options.killAfterMs;
        options = { ...options, killAfterMs: undefined };
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every schema object of the store with its definition, and the recorded migrations: what "no schema" or "the whole schema" is compared by. */
async function schemaOf(location: StoreLocation): Promise<string[]> {
  if (location.kind === 'sqlite') {
    if (!existsSync(location.file)) return [];
    const database = new Database(location.file);
    try {
      const objects = database.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS o FROM sqlite_master ORDER BY type, name").pluck().all() as string[];
      const recorded = objects.some((o) => o.startsWith('table kysely_migration:')) ? (database.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[]) : [];
      return [...objects, ...recorded.map((name) => `migration ${name}`)];
    } finally {
      database.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    const query = async (text: string) => (await client.query<{ o: string }>(text)).rows.map((row) => row.o);
    const objects = [
      ...(await query("SELECT 'table ' || table_name AS o FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")),
      ...(await query("SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type AS o FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1")),
      ...(await query("SELECT 'index ' || indexname || ': ' || indexdef AS o FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")),
      ...(await query("SELECT 'trigger ' || tgname AS o FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1")),
      ...(await query("SELECT 'function ' || proname AS o FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1")),
    ];
    const recorded = objects.includes('table kysely_migration') ? await query('SELECT name AS o FROM kysely_migration ORDER BY name') : [];
    return [...objects, ...recorded.map((name) => `migration ${name}`)];
  } finally {
    await client.end();
  }
}

/** The store a killed first open left behind is opened normally and used: a release is created and listed. */
async function expectUsable(location: StoreLocation): Promise<void> {
  const store = await openStore(location);
  try {
    await createRelease(
      store,
      { component: 'billing', kind: 'module', path: 'modules/billing', version: '2.1.0', tag: 'billing/v2.1.0', lastTag: null, bump: 'minor', type: 'scheduled', breaking: false, state: 'planned', trainDate: null, commit: 'a'.repeat(40), createdBy: 'rel@example.com' },
      { kind: 'created', commit: 'a'.repeat(40), reasons: [], commits: [] },
    );
    expect((await listReleases(store)).map((release) => release.id)).toEqual(['billing@2.1.0']);
  } finally {
    await store.close();
  }
}

describe.each(storeBackends())('the first open of a new $name store', (backend) => {
  /** A clean open's statement count, duration and resulting schema: what every killed trial is held to. */
  const reference = async () => {
    const { location, db } = await backend.fresh();
    const run = await openInChild(db);
    expect(run.stderr).toBe('');
    const [, statements, ms] = /statements (\d+) (\d+)/.exec(run.stdout) ?? [];
    return { statements: Number(statements), ms: Number(ms), schema: await schemaOf(location) };
  };

  it('killed before each of its SQL statements: it left no schema or all of it, and the next open works', { timeout: 240_000 }, async () => {
    const clean = await reference();
    expect(clean.statements).toBeGreaterThan(5);
    expect(clean.schema.some((object) => object.includes('release_events'))).toBe(true);
    for (let killAt = 0; killAt < clean.statements; killAt += 1) {
      const { location, db } = await backend.fresh();
      const run = await openInChild(db, { killAt });
      expect(run.signal, `killed before statement ${killAt}`).toBe('SIGKILL');
      expect([[], clean.schema], `the schema left by a kill before statement ${killAt}`).toContainEqual(await schemaOf(location));
      await expectUsable(location);
      expect(await schemaOf(location)).toEqual(clean.schema);
    }
  });

  it('six processes opening the same new store at once all succeed and make the schema once', { timeout: 120_000 }, async () => {
    const clean = await reference();
    const { location, db } = await backend.fresh();
    const runs = await Promise.all(Array.from({ length: 6 }, () => openInChild(db)));
    expect(runs.map((run) => [run.code, run.stderr])).toEqual(runs.map(() => [0, '']));
    expect(await schemaOf(location)).toEqual(clean.schema);
    await expectUsable(location);
  });

  it('killed by another process after delays sweeping the open: the next open works', { timeout: 240_000 }, async () => {
    const clean = await reference();
    // Past the clean open's own duration too: a loaded machine opens slower than the reference did.
    const steps = 16;
    for (let step = 0; step <= steps; step += 1) {
      const { location, db } = await backend.fresh();
      const killAfterMs = Math.round((3 * clean.ms * step) / steps);
      await openInChild(db, { killAfterMs });
      expect([[], clean.schema], `the schema left by a kill ${killAfterMs} ms into the open`).toContainEqual(await schemaOf(location));
      await expectUsable(location);
    }
  });
});
