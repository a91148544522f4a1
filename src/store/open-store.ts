import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { ShipgateError } from '../errors/shipgate-error.js';
import { writeFileAtomic } from '../fs/write-file-atomic.js';
import { migrateStore } from './migrate-store.js';
import { storeMigrations, type Dialect } from './migrations.js';
import type { Database } from './schema.js';

export type StoreLocation = { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };

/**
 * What every store function takes: a Store, or a transaction of one (its db is then the transaction),
 * so a caller can put several writes in one transaction of its own.
 */
export interface StoreDb {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
}

export interface Store extends StoreDb {
  /** Where the store is, safe to print: never the password of a URL. */
  readonly where: string;
  close(): Promise<void>;
}

/** `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite:<file>` or a plain path is a SQLite file. */
export function parseStoreLocation(value: string, cwd: string): StoreLocation {
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new ShipgateError('ESTORE', `unsupported database URL scheme "${value.split(':')[0] ?? ''}"`, { category: 'usage', hint: 'use postgres://user@host:5432/db or a SQLite file path' });
  }
  return { kind: 'sqlite', file: path.resolve(cwd, value.replace(/^sqlite:/i, '')) };
}

export function safeWhere(location: StoreLocation): string {
  if (location.kind === 'sqlite') return location.file;
  try {
    const url = new URL(location.url);
    return `postgres://${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** Opens the store and brings its schema up to date; the drivers are loaded only here, on demand. */
export async function openStore(location: StoreLocation): Promise<Store> {
  const where = safeWhere(location);
  const db = location.kind === 'sqlite' ? await sqliteDb(location.file) : await postgresDb(location.url, where);
  const dialect: Dialect = location.kind;
  try {
    await migrate(db, dialect, where);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, dialect, where, close: () => db.destroy() };
}

async function sqliteDb(file: string): Promise<Kysely<Database>> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  // A fresh .shipgate/ keeps itself out of git: the database is local state, not source.
  if (path.basename(dir) === '.shipgate' && !existsSync(path.join(dir, '.gitignore'))) await writeFileAtomic(path.join(dir, '.gitignore'), '*\n');
  let database;
  try {
    // Waiting up to 15 s for another process's write transaction is what serializes concurrent writers.
    database = new SqliteDatabase(file, { timeout: 15_000 });
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    // 64 MiB of page cache (SQLite's default is 2 MiB), taken only as pages are read: a server keeps
    // the releases and the logs it answers about in memory instead of reading them again each time.
    database.pragma('cache_size = -65536');
    // Reading pages through a memory map instead of a read() each: a release's log is scattered over
    // the file (its events were appended among everyone else's), and a copy per page was most of its read.
    database.pragma('mmap_size = 1073741824');
  } catch (error) {
    throw new ShipgateError('ESTORE', `cannot open the SQLite store: ${(error as Error).message}`, { category: 'unavailable', where: file, hint: 'check the path, its permissions, and that it is a shipgate database' });
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) });
}

/**
 * Kysely prepares every query's statement again; a server answering the same few queries thousands of
 * times a second spends more on preparing than on running them. Statements are kept by their SQL (a
 * bounded number: the queries are shipgate's own, their values are parameters). Reusing one is safe
 * because better-sqlite3 runs it to completion synchronously; shipgate never streams a query
 * (Kysely's .stream()), the one way a statement would stay busy while another query wants it.
 */
function reusingStatements(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = rowsAsArrays(database.prepare(sql));
        if (statements.size >= 500) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * A reading statement whose rows come from SQLite as arrays and are made into objects here, by a
 * function built once per column list: better-sqlite3 builds each row object property by property,
 * which cost a page of 100 releases or a release's 100 events almost twice what the arrays do. The
 * objects are the same (a later column of the same name wins, as in better-sqlite3's). The column list
 * is read on every run, so a statement SQLite prepared again after a schema change maps its new columns.
 */
function rowsAsArrays(statement: BetterSqlite3.Statement): SqliteStatement {
  if (!statement.reader) return statement;
  const arrays = statement.database.prepare(statement.source).raw(true);
  let mapper: { key: string; make: (row: unknown[]) => unknown } | undefined;
  return {
    reader: true,
    all(parameters: ReadonlyArray<unknown>) {
      const rows = arrays.all(parameters) as unknown[][];
      const names = arrays.columns().map((column) => column.name);
      const key = names.join('\0');
      if (mapper?.key !== key) mapper = { key, make: rowMaker(names) };
      return rows.map(mapper.make);
    },
    run: (parameters: ReadonlyArray<unknown>) => statement.run(parameters),
    iterate: (parameters: ReadonlyArray<unknown>) => statement.iterate(parameters),
  } as unknown as SqliteStatement;
}

function rowMaker(names: readonly string[]): (row: unknown[]) => unknown {
  if (names.includes('__proto__')) return (row) => Object.fromEntries(names.map((name, index) => [name, row[index]]));
  // An object literal of fixed keys: one shape for every row, made at the speed of a literal.
  return new Function('row', `return { ${names.map((name, index) => `${JSON.stringify(name)}: row[${index}]`).join(', ')} };`) as (row: unknown[]) => unknown;
}

async function postgresDb(url: string, where: string): Promise<Kysely<Database>> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle client's error (the server restarting) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new ShipgateError('ESTORE', `cannot connect to PostgreSQL: ${redact((error as Error).message, url)}`, { category: 'unavailable', where, hint: 'check --db / SHIPGATE_DATABASE_URL and that the server is running' });
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

async function migrate(db: Kysely<Database>, dialect: Dialect, where: string): Promise<void> {
  // Processes opening a brand-new store at once wait for each other's schema transaction (the
  // busy timeout, the advisory lock); a lock held past that is retried a few times before giving up.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await migrateStore(db as Kysely<unknown>, dialect, storeMigrations(dialect), where);
      return;
    } catch (error) {
      if (error instanceof ShipgateError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (attempt < 5 && /SQLITE_BUSY|database is locked/i.test(message)) {
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        continue;
      }
      throw new ShipgateError('ESTORE', `cannot prepare the store: ${message}`, { category: 'unavailable', where, hint: 'check that it is a shipgate database and that you may write to it' });
    }
  }
}

function redact(message: string, url: string): string {
  try {
    const password = new URL(url).password;
    return password ? message.split(password).join('***') : message;
  } catch {
    return message;
  }
}
