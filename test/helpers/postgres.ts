import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A real, throwaway PostgreSQL cluster on loopback for one test file: initdb into a temporary
 * directory, start `postgres` on a free port with fsync off, and stop it by its PID afterwards.
 * PostgreSQL refuses to run as root, so under root (CI) it runs as the `postgres` user.
 */
export interface TestPostgres {
  /** URL of the cluster's default database. */
  readonly url: string;
  /** A new empty database on the cluster, so each test starts clean. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const BIN_DIRS = [process.env.SHIPGATE_PG_BIN, '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/17/bin'].filter(Boolean) as string[];

function findBin(): string {
  const dir = BIN_DIRS.find((candidate) => existsSync(path.join(candidate, 'initdb')));
  if (!dir) throw new Error(`PostgreSQL server binaries not found in ${BIN_DIRS.join(', ')}: install postgresql (apt-get install -y postgresql-15) or set SHIPGATE_PG_BIN`);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root and there is no "postgres" user to run PostgreSQL as');
  return { uid, gid };
}

let databases = 0;

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBin();
  const user = postgresUser();
  const root = mkdtempSync(path.join(tmpdir(), 'shipgate-pg-'));
  if (user) chownSync(root, user.uid, user.gid);
  const data = path.join(root, 'data');
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const init = spawnSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], { ...asUser, encoding: 'utf8', cwd: root });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const server: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    ['-D', data, '-k', root, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    { ...asUser, cwd: root, stdio: ['ignore', 'ignore', 'pipe'], detached: false },
  );
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitReady(url, server, () => stderr);
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT'); // "fast" shutdown
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
  };
  return {
    url,
    async createDatabase() {
      databases += 1;
      const name = `shipgate_test_${process.pid}_${databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}

async function waitReady(url: string, server: ChildProcess, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (server.exitCode !== null) throw new Error(`postgres exited: ${stderr()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`postgres did not become ready: ${stderr()}`);
}
