import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openStore, type Store, type StoreLocation } from '../../src/store/open-store.js';
import { startPostgres, type TestPostgres } from './postgres.js';

/**
 * The two store back ends every store and gate test runs on: a SQLite file in a temporary directory
 * and a database on a real PostgreSQL cluster started for the test file. Use with describe.each.
 */
export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh empty store location (and its --db value for the CLI). */
  fresh(): Promise<{ location: StoreLocation; db: string }>;
}

export function storeBackends(): StoreBackend[] {
  let cluster: TestPostgres | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-store-'));
  let count = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return [
    {
      name: 'sqlite',
      async fresh() {
        count += 1;
        const file = path.join(dir, `store-${count}.db`);
        return { location: { kind: 'sqlite', file }, db: file };
      },
    },
    {
      name: 'postgres',
      async fresh() {
        if (!cluster) throw new Error('PostgreSQL did not start');
        const url = await cluster.createDatabase();
        return { location: { kind: 'postgres', url }, db: url };
      },
    },
  ];
}

export async function freshStore(backend: StoreBackend): Promise<{ store: Store; db: string }> {
  const { location, db } = await backend.fresh();
  return { store: await openStore(location), db };
}
