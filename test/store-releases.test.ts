import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/open-store.js';
import { storeMigrations } from '../src/store/migrations.js';
import { openStore } from '../src/store/open-store.js';
import { createRelease, getRelease, listEvents, listReleases, mutateRelease, type NewRelease } from '../src/store/releases.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const release: NewRelease = {
  component: 'billing',
  kind: 'module',
  path: 'modules/billing',
  version: '2.1.0',
  tag: 'billing/v2.1.0',
  lastTag: 'billing/v2.0.0',
  bump: 'minor',
  type: 'scheduled',
  breaking: false,
  state: 'candidate',
  trainDate: '2026-02-17',
  commit: 'a'.repeat(40),
  createdBy: 'rel@example.com',
};
const created = {
  kind: 'created' as const,
  commit: release.commit,
  reasons: ['feat: recurring invoices -> minor'],
  commits: [{ sha: 'b'.repeat(40), authoredAt: '2026-01-30T08:15:00.000Z', type: 'feat' }],
};
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(storeBackends())('the release store on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('creates a release with its first event and reads it back the same on both databases', async () => {
    ({ store } = await freshStore(backend));
    const record = await createRelease(store, release, created);
    expect(record).toMatchObject({ id: 'billing@2.1.0', breaking: false, seq: 1, state: 'candidate', postmortemUrl: null });
    expect(record.createdAt).toMatch(ISO_MS);
    expect(record.updatedAt).toBe(record.createdAt);
    expect(await getRelease(store, 'billing@2.1.0')).toEqual(record);
    expect(await listEvents(store, 'billing@2.1.0')).toEqual([{ id: 1, releaseId: 'billing@2.1.0', seq: 1, at: record.createdAt, actor: 'rel@example.com', data: created }]);
    expect((await listReleases(store, { component: 'billing' })).map((r) => r.id)).toEqual(['billing@2.1.0']);
  });

  it('refuses a second release of the same version and leaves the first untouched', async () => {
    ({ store } = await freshStore(backend));
    await createRelease(store, release, created);
    await expect(createRelease(store, { ...release, createdBy: 'other@example.com' }, created)).rejects.toThrow(/billing@2.1.0 already exists/);
    expect((await getRelease(store, 'billing@2.1.0'))?.createdBy).toBe('rel@example.com');
    expect(await listEvents(store, 'billing@2.1.0')).toHaveLength(1);
  });

  it('appends events and updates the row together; a decision that throws changes nothing', async () => {
    ({ store } = await freshStore(backend));
    await createRelease(store, release, created);
    const { release: after, appended } = await mutateRelease(store, 'billing@2.1.0', () => ({
      actor: 'lead@example.com',
      events: [{ kind: 'transition', from: 'candidate', to: 'abandoned', reason: 'superseded' }],
      patch: { state: 'abandoned' },
    }));
    expect(after).toMatchObject({ state: 'abandoned', seq: 2, updatedAt: appended[0]?.at });
    // What the caller is handed is what the store now holds.
    expect(await getRelease(store, 'billing@2.1.0')).toEqual(after);
    expect(appended.map((event) => event.seq)).toEqual([2]);
    await expect(
      mutateRelease(store, 'billing@2.1.0', () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(mutateRelease(store, 'nope@1.0.0', () => null)).rejects.toThrow(/unknown release nope@1.0.0/);
    expect((await getRelease(store, 'billing@2.1.0'))?.seq).toBe(2);
    expect(await listEvents(store, 'billing@2.1.0')).toHaveLength(2);
  });

  it('pages the release list newest first without skipping or repeating a release, even when several were created in the same millisecond', async () => {
    ({ store } = await freshStore(backend));
    for (const version of ['2.1.0', '2.2.0', '2.3.0', '2.4.0', '2.5.0']) await createRelease(store, { ...release, version, tag: `billing/v${version}` }, created);
    // Three releases share a creation time: the page cursor has to break the tie by id.
    await store.db.updateTable('releases').set({ created_at: '2026-02-01T10:00:00.000Z' }).where('version', 'in', ['2.2.0', '2.3.0', '2.4.0']).execute();
    await store.db.updateTable('releases').set({ created_at: '2026-02-02T10:00:00.000Z' }).where('version', '=', '2.5.0').execute();
    await store.db.updateTable('releases').set({ created_at: '2026-01-31T10:00:00.000Z' }).where('version', '=', '2.1.0').execute();
    const paged: string[] = [];
    for (let after: string | undefined; ; ) {
      const page = await listReleases(store, { limit: 2, ...(after === undefined ? {} : { after }) });
      paged.push(...page.map((r) => r.version));
      if (page.length < 2) break;
      after = page.at(-1)!.id;
    }
    // Newest first; within the shared millisecond, by id descending (billing@2.4.0 > 2.3.0 > 2.2.0).
    expect(paged).toEqual(['2.5.0', '2.4.0', '2.3.0', '2.2.0', '2.1.0']);
  });

  it('keeps the event log append-only in the database itself', async () => {
    ({ store } = await freshStore(backend));
    await createRelease(store, release, created);
    await expect(sql`UPDATE release_events SET actor = 'mallory@example.com'`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM release_events`.execute(store.db)).rejects.toThrow(/append-only/);
    expect((await listEvents(store, 'billing@2.1.0'))[0]?.actor).toBe('rel@example.com');
  });

  it('runs its schema migrations once: reopening finds the data and the schema current', async () => {
    const fresh = await backend.fresh();
    const first = await openStore(fresh.location);
    await createRelease(first, release, created);
    await first.close();
    store = await openStore(fresh.location);
    expect((await getRelease(store, 'billing@2.1.0'))?.version).toBe('2.1.0');
    const migrations = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(store.db);
    expect(migrations.rows.map((row) => row.name).sort()).toEqual(Object.keys(storeMigrations(backend.name)).sort());
  });

  it('repairs what an older shipgate killed in its first open left: tables without their record, and no rows', async () => {
    const fresh = await backend.fresh();
    const first = await openStore(fresh.location);
    await sql`DROP TABLE release_events`.execute(first.db);
    // An older shipgate's first open knew only the first migration's tables: every later one's go
    // (those that refer to releases first).
    for (const table of ['deliveries', 'deployments', 'incidents', 'webhook_deliveries', 'metric_commits', 'metric_first_deploys', 'metric_deploy_leads', 'jobs', 'tokens']) await sql`DROP TABLE ${sql.table(table)}`.execute(first.db);
    await sql`DELETE FROM kysely_migration`.execute(first.db);
    await first.close();
    store = await openStore(fresh.location);
    await createRelease(store, release, created);
    expect(await listEvents(store, 'billing@2.1.0')).toHaveLength(1);
    await expect(sql`DELETE FROM release_events`.execute(store.db)).rejects.toThrow(/append-only/);
  });

  it('never drops tables that hold rows when their schema record is missing, and refuses a store from a newer shipgate', async () => {
    const fresh = await backend.fresh();
    const first = await openStore(fresh.location);
    await createRelease(first, release, created);
    await sql`DELETE FROM kysely_migration`.execute(first.db);
    await first.close();
    await expect(openStore(fresh.location)).rejects.toMatchObject({ code: 'ESTORE', message: 'the store has a "release_events" table with rows but no record of its schema' });
    // Put the record back by hand: the release is still there. Then record a migration this shipgate does not know.
    const { Kysely, PostgresDialect, SqliteDialect } = await import('kysely');
    const db = new Kysely<unknown>({
      dialect: fresh.location.kind === 'sqlite' ? new SqliteDialect({ database: new (await import('better-sqlite3')).default(fresh.location.file) }) : new PostgresDialect({ pool: new (await import('pg')).default.Pool({ connectionString: fresh.location.url }) }),
    });
    for (const name of Object.keys(storeMigrations(backend.name))) await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${name}, 'x')`.execute(db);
    store = await openStore(fresh.location);
    expect((await getRelease(store, 'billing@2.1.0'))?.createdBy).toBe('rel@example.com');
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('0099-from-the-future', 'x')`.execute(db);
    await db.destroy();
    await expect(openStore(fresh.location)).rejects.toMatchObject({ code: 'ESTORE', message: 'the store was written by a newer shipgate' });
  });
});

describe('opening a store', () => {
  it('names an unreachable PostgreSQL without its password, as a user error', async () => {
    const opening = openStore({ kind: 'postgres', url: 'postgres://shipgate:s3cret-pw@127.0.0.1:1/releases' });
    await expect(opening).rejects.toMatchObject({ code: 'ESTORE', where: 'postgres://127.0.0.1:1/releases', message: expect.stringMatching(/^cannot connect to PostgreSQL: /) });
    await expect(opening).rejects.not.toThrow(/s3cret-pw/);
  });

  it('refuses a URL it cannot store releases in', async () => {
    const { parseStoreLocation } = await import('../src/store/open-store.js');
    expect(() => parseStoreLocation('mysql://db/releases', '/repo')).toThrow('unsupported database URL scheme "mysql"');
    expect(parseStoreLocation('sqlite:.shipgate/x.db', '/repo')).toEqual({ kind: 'sqlite', file: '/repo/.shipgate/x.db' });
  });
});
