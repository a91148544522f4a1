import { sql, type Kysely, type Migration } from 'kysely';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { Dialect } from './migrations.js';

/**
 * Brings the schema up to date in ONE transaction, with each migration's kysely_migration record in
 * the same transaction: a process killed at any moment of a first open leaves no schema or all of it.
 *
 * Kysely's Migrator is not used for this: on SQLite it runs migrations outside any transaction (its
 * SqliteAdapter says supportsTransactionalDdl is false), so a kill between two CREATE statements left
 * half a schema that every later open tripped over ("table releases already exists"). SQLite and
 * PostgreSQL both roll DDL back. The table keeps Kysely's name and shape, so stores made before read
 * the same.
 */
export async function migrateStore(db: Kysely<unknown>, dialect: Dialect, migrations: Readonly<Record<string, Migration>>, where: string): Promise<void> {
  const names = Object.keys(migrations).sort();
  // Almost every open finds the schema current: check that without taking the write lock.
  if (pending(names, await appliedMigrations(db, dialect), where).length === 0) return;
  await underSchemaLock(db, dialect, async (tx) => {
    await sql`CREATE TABLE IF NOT EXISTS kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(tx);
    const applied = await appliedMigrations(tx, dialect);
    // Another process may have finished the schema while this one waited for the lock.
    const todo = pending(names, applied, where);
    if (applied.length === 0 && todo.length > 0) await dropInterruptedFirstOpen(tx, dialect, where);
    for (const name of todo) {
      await migrations[name]!.up(tx);
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${name}, ${new Date().toISOString()})`.execute(tx);
    }
  });
}

/**
 * Runs `work` in one transaction that only one process at a time can be in: BEGIN IMMEDIATE on
 * SQLite (others wait on the busy timeout), a transaction-scoped advisory lock on PostgreSQL (released
 * by the server when the transaction ends, even if the process was killed).
 */
async function underSchemaLock(db: Kysely<unknown>, dialect: Dialect, work: (tx: Kysely<unknown>) => Promise<void>): Promise<void> {
  if (dialect === 'postgres') {
    await db.transaction().execute(async (tx) => {
      // A fixed key that only shipgate's schema changes take.
      await sql`SELECT pg_advisory_xact_lock(7368697073636865)`.execute(tx);
      await work(tx);
    });
    return;
  }
  await db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      await work(connection);
      await sql`COMMIT`.execute(connection);
    } catch (error) {
      await sql`ROLLBACK`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

async function appliedMigrations(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const exists =
    dialect === 'sqlite'
      ? await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(db)
      : await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE tablename = 'kysely_migration' AND schemaname = current_schema()`.execute(db);
  if (Number(exists.rows[0]?.n ?? 0) === 0) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((row) => row.name);
}

function pending(known: readonly string[], applied: readonly string[], where: string): string[] {
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ShipgateError('ESTORE', 'the store was written by a newer shipgate', { category: 'unavailable', where, hint: `upgrade shipgate; this version does not know the schema migration ${unknown[0]}` });
  }
  return known.filter((name) => !applied.includes(name));
}

/**
 * Before migrations were transactional, a first open killed half-way left some of the first
 * migration's tables and no record of it. Such leftovers hold no data (nothing could write to a store
 * without its record), so they are dropped and the migration runs again; a table that holds rows is
 * never dropped.
 */
async function dropInterruptedFirstOpen(tx: Kysely<unknown>, dialect: Dialect, where: string): Promise<void> {
  for (const table of ['release_events', 'releases']) {
    const exists =
      dialect === 'sqlite'
        ? await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(tx)
        : await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE tablename = ${table} AND schemaname = current_schema()`.execute(tx);
    if (Number(exists.rows[0]?.n ?? 0) === 0) continue;
    const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(tx);
    if (Number(rows.rows[0]?.n ?? 0) > 0) {
      throw new ShipgateError('ESTORE', `the store has a "${table}" table with rows but no record of its schema`, { category: 'input', where, hint: 'this is not a store shipgate made, or it was changed by hand: point --db at another file or database' });
    }
  }
  // Dropping a table drops its indexes and triggers with it, on both databases.
  await sql`DROP TABLE IF EXISTS release_events`.execute(tx);
  await sql`DROP TABLE IF EXISTS releases`.execute(tx);
  if (dialect === 'postgres') await sql`DROP FUNCTION IF EXISTS shipgate_append_only()`.execute(tx);
}
