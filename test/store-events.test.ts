import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReleaseEvent } from '../src/gates/types.js';
import { migrateStore } from '../src/store/migrate-store.js';
import { storeMigrations } from '../src/store/migrations.js';
import { openStore, type Store, type StoreLocation } from '../src/store/open-store.js';
import { createRelease, eventsOf, getRelease, listEvents, listEventsAfter, mutateRelease, type NewRelease } from '../src/store/releases.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const release = (version: string, component = 'billing'): NewRelease => ({
  component,
  kind: 'module',
  path: `modules/${component}`,
  version,
  tag: `${component}/v${version}`,
  lastTag: null,
  bump: 'minor',
  type: 'scheduled',
  breaking: false,
  state: 'candidate',
  trainDate: null,
  commit: 'a'.repeat(40),
  createdBy: 'rel@example.com',
});
const created = { kind: 'created' as const, commit: 'a'.repeat(40), reasons: [], commits: [] };
const notice = (comment: string) => ({ actor: 'rel@example.com', events: [{ kind: 'notice' as const, comment }] });

/** A Kysely on the store's database without shipgate's open, to shape it as an older shipgate or a hand would. */
function rawDb(location: StoreLocation): Promise<Kysely<unknown>> {
  return (async () =>
    new Kysely<unknown>({
      dialect:
        location.kind === 'sqlite'
          ? new SqliteDialect({ database: new (await import('better-sqlite3')).default(location.file) })
          : new PostgresDialect({ pool: new (await import('pg')).default.Pool({ connectionString: location.url, max: 2 }) }),
    }))();
}

async function databaseNow(store: Store): Promise<number> {
  const query = store.dialect === 'sqlite' ? sql<{ at: string }>`SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS at` : sql<{ at: string }>`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at`;
  return Date.parse((await query.execute(store.db)).rows[0]!.at);
}

describe.each(storeBackends())('the event log on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await store?.close();
    store = undefined;
  });

  it('takes every recorded time from the database clock, not the caller\'s', async () => {
    ({ store } = await freshStore(backend));
    // The process's clock says 2001: nothing recorded may come from it.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2001-02-03T04:05:06.000Z') });
    const before = await databaseNow(store);
    const record = await createRelease(store, release('2.1.0'), created);
    let decidedAt: Date | undefined;
    const { release: after, appended } = await mutateRelease(store, record.id, (_current, _events, now) => {
      decidedAt = now;
      return notice('posted');
    });
    const afterAll = await databaseNow(store);
    vi.useRealTimers();
    for (const at of [record.createdAt, record.updatedAt, after.updatedAt, appended[0]!.at]) {
      expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(at)).toBeLessThanOrEqual(afterAll);
    }
    // The decision is judged at the time the store records it.
    expect(decidedAt?.toISOString()).toBe(appended[0]!.at);
    expect(Date.parse(appended[0]!.at)).toBeGreaterThanOrEqual(Date.parse(record.createdAt));
  });

  it('numbers events with one global id, in the order they were written, for paging through every release', async () => {
    ({ store } = await freshStore(backend));
    await createRelease(store, release('2.1.0'), created);
    await createRelease(store, release('1.4.0', 'reports'), created);
    await mutateRelease(store, 'billing@2.1.0', () => notice('one'));
    await mutateRelease(store, 'reports@1.4.0', () => [notice('two'), notice('three')]);
    const all = await listEventsAfter(store, 0, 100);
    expect(all.map((event) => [event.id, event.releaseId, event.seq])).toEqual([
      [1, 'billing@2.1.0', 1],
      [2, 'reports@1.4.0', 1],
      [3, 'billing@2.1.0', 2],
      [4, 'reports@1.4.0', 2],
      [5, 'reports@1.4.0', 3],
    ]);
    expect((await listEventsAfter(store, 2, 2)).map((event) => event.id)).toEqual([3, 4]);
    expect(await listEventsAfter(store, 5, 10)).toEqual([]);
    expect((await listEvents(store, 'reports@1.4.0')).map((event) => event.id)).toEqual([2, 4, 5]);
  });

  it('a release\'s log as a long-running server reads it again: each event another writer appended since is in it', async () => {
    const { location } = await backend.fresh();
    store = await openStore(location);
    const other = await openStore(location);
    try {
      const first = await createRelease(store, release('2.1.0'), created);
      expect((await eventsOf(store, first)).map((event) => event.data.kind)).toEqual(['created']);
      expect((await eventsOf(store, first)).map((event) => event.data.kind)).toEqual(['created']);
      // Another server (or the CLI) on the same database appends: the record read next says so, and the log follows.
      await mutateRelease(other, first.id, () => notice('one week'));
      await mutateRelease(store, first.id, () => notice('again'));
      const now = (await getRelease(store, first.id))!;
      expect((await eventsOf(store, now)).map((event) => (event.data.kind === 'notice' ? event.data.comment : event.data.kind))).toEqual(['created', 'one week', 'again']);
    } finally {
      await other.close();
    }
  });

  it('refuses clearly to read a payload a newer shipgate wrote, or one changed by hand', async () => {
    ({ store } = await freshStore(backend));
    await createRelease(store, release('2.1.0'), created);
    const insert = (seq: number, kind: string, version: number, data: string) =>
      sql`INSERT INTO release_events (release_id, seq, at, actor, kind, data_version, data) VALUES ('billing@2.1.0', ${seq}, '2026-02-02T00:00:00.000Z', 'x@example.com', ${kind}, ${version}, ${data})`.execute(store!.db);
    await insert(2, 'approval', 99, JSON.stringify({ kind: 'approval', role: 'tech-lead', commit: 'a'.repeat(40), comment: null, signature: 'new' }));
    await expect(listEvents(store, 'billing@2.1.0')).rejects.toMatchObject({
      code: 'ESTORE',
      category: 'unavailable',
      message: 'event 2 of billing@2.1.0 was written by a newer shipgate: version 99 of the approval payload; this shipgate reads up to version 1',
      hint: 'upgrade shipgate to read this store',
    });

    ({ store } = await freshStore(backend));
    await createRelease(store, release('2.1.0'), created);
    await insert(2, 'deployment-verified', 1, '{}');
    await expect(listEvents(store, 'billing@2.1.0')).rejects.toThrow('event 2 of billing@2.1.0 was written by a newer shipgate: an event kind this shipgate does not know ("deployment-verified")');

    ({ store } = await freshStore(backend));
    await createRelease(store, release('2.1.0'), created);
    await insert(2, 'approval', 1, JSON.stringify({ kind: 'approval', role: 'tech-lead', commit: 'not a sha', comment: null }));
    await expect(listEvents(store, 'billing@2.1.0')).rejects.toMatchObject({ category: 'internal', message: 'event 2 of billing@2.1.0 cannot be read: commit: a full commit sha' });
  });

  it('refuses to write a payload that does not fit its schema, as a bug, and writes nothing', async () => {
    ({ store } = await freshStore(backend));
    await createRelease(store, release('2.1.0'), created);
    const bad = { actor: 'x@example.com', events: [{ kind: 'approval' as const, role: '', commit: 'a'.repeat(40), comment: null }] };
    await expect(mutateRelease(store, 'billing@2.1.0', () => bad)).rejects.toMatchObject({ code: 'EPAYLOAD', category: 'internal', exitCode: 70 });
    expect(await listEvents(store, 'billing@2.1.0')).toHaveLength(1);
    expect((await getRelease(store, 'billing@2.1.0'))?.seq).toBe(1);
  });

  it('migrates a store an older shipgate made: ids in time order, old payloads readable, the log still append-only', async () => {
    const { location } = await backend.fresh();
    const old = await rawDb(location);
    await migrateStore(old, backend.name, { '0001-releases-and-events': storeMigrations(backend.name)['0001-releases-and-events']! }, 'test');
    await sql`INSERT INTO releases (id, component, kind, path, version, tag, last_tag, bump, type, breaking, state, train_date, commit_sha, created_by, created_at, updated_at, seq, postmortem_url)
      VALUES ('billing@2.1.0', 'billing', 'module', 'modules/billing', '2.1.0', 'billing/v2.1.0', null, 'minor', 'scheduled', 0, 'candidate', null, ${'a'.repeat(40)}, 'rel@example.com', '2026-02-01T10:00:00.000Z', '2026-02-03T10:00:00.000Z', 2, null),
             ('reports@1.4.0', 'reports', 'module', 'modules/reports', '1.4.0', 'reports/v1.4.0', null, 'minor', 'scheduled', 0, 'candidate', null, ${'b'.repeat(40)}, 'rel@example.com', '2026-02-02T10:00:00.000Z', '2026-02-02T10:00:00.000Z', 1, null)`.execute(old);
    // Written in another order than their times: the migration numbers them by time.
    await sql`INSERT INTO release_events (release_id, seq, at, actor, kind, data) VALUES
      ('billing@2.1.0', 2, '2026-02-03T10:00:00.000Z', 'lead@example.com', 'approval', ${JSON.stringify({ kind: 'approval', role: 'tech-lead', commit: 'a'.repeat(40), comment: 'LGTM' })}),
      ('reports@1.4.0', 1, '2026-02-02T10:00:00.000Z', 'rel@example.com', 'created', ${JSON.stringify({ kind: 'created', commit: 'b'.repeat(40), reasons: ['feat: x -> minor'] })}),
      ('billing@2.1.0', 1, '2026-02-01T10:00:00.000Z', 'rel@example.com', 'created', ${JSON.stringify({ kind: 'created', commit: 'a'.repeat(40), reasons: [] })})`.execute(old);
    await old.destroy();

    store = await openStore(location);
    const events = await listEventsAfter(store, 0, 10);
    expect(events.map((event: ReleaseEvent) => [event.id, event.releaseId, event.seq, event.at])).toEqual([
      [1, 'billing@2.1.0', 1, '2026-02-01T10:00:00.000Z'],
      [2, 'reports@1.4.0', 1, '2026-02-02T10:00:00.000Z'],
      [3, 'billing@2.1.0', 2, '2026-02-03T10:00:00.000Z'],
    ]);
    // A created event from before shipgate recorded commits: they are unknown, not none.
    expect(events[1]?.data).toEqual({ kind: 'created', commit: 'b'.repeat(40), reasons: ['feat: x -> minor'], commits: null });
    expect(events[2]?.data).toEqual({ kind: 'approval', role: 'tech-lead', commit: 'a'.repeat(40), comment: 'LGTM' });
    const { appended } = await mutateRelease(store, 'billing@2.1.0', () => notice('posted'));
    expect(appended.map((event) => [event.id, event.seq])).toEqual([[4, 3]]);
    await expect(sql`UPDATE release_events SET actor = 'mallory@example.com'`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM release_events`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`INSERT INTO release_events (release_id, seq, at, actor, kind, data_version, data) VALUES ('billing@2.1.0', 3, 'x', 'x', 'notice', 1, '{}')`.execute(store.db)).rejects.toThrow();
  });

  it.runIf(backend.name === 'postgres')('a feed that reads id > last misses nothing while a slow writer commits after a fast one', async () => {
    const fresh = await freshStore(backend);
    store = fresh.store;
    await createRelease(store, release('1.0.0', 'slow'), created);
    await createRelease(store, release('1.0.0', 'fast'), created);
    // The slow release's writer draws its event id, then takes half a second before it commits.
    await sql`CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.5); RETURN NEW; END $$`.execute(store.db);
    await sql`CREATE TRIGGER slow_down BEFORE UPDATE ON releases FOR EACH ROW WHEN (NEW.id = 'slow@1.0.0') EXECUTE FUNCTION slow_down()`.execute(store.db);
    const other = await openStore((await import('../src/store/open-store.js')).parseStoreLocation(fresh.db, process.cwd()));
    try {
      let last = (await listEventsAfter(store, 0, 100)).at(-1)!.id;
      const seen: number[] = [];
      const read = async () => {
        for (const event of await listEventsAfter(store!, last, 100)) {
          seen.push(event.id);
          last = event.id;
        }
      };
      const slow = mutateRelease(store, 'slow@1.0.0', () => notice('slow'));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const fast = mutateRelease(other, 'fast@1.0.0', () => notice('fast'));
      let done = false;
      const both = Promise.all([slow, fast]).finally(() => (done = true));
      while (!done) {
        await read();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await both;
      await read();
      const written = (await listEventsAfter(store, 2, 100)).map((event) => event.id);
      expect(written).toHaveLength(2);
      expect(seen).toEqual(written);
    } finally {
      await other.close();
    }
  });
});
