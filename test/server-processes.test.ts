import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/app/api-tokens.js';
import { serverPolicy } from '../src/app/governing-policy.js';
import { findJob, listJobs, plantJob } from '../src/jobs/job-store.js';
import { timelineSteps } from '../src/jobs/timeline-steps.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { billingRepo, commitDocs, PEOPLE } from './helpers/gate-fixtures.js';
import { createRepo, gitEnvironment, type TestRepo } from './helpers/git-repo.js';
import { REAL_GIT, inPool } from './helpers/kill-switch.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';
import { tempDir } from './helpers/run-cli.js';
import { startServe, type ServeProcess } from './helpers/serve-process.js';
import { waitFor } from './helpers/wait-for.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A git that hangs in `fetch` while the marker file exists (a server stuck on a slow remote).
const HANGING_GIT = `#!/bin/sh
if [ "$1" = fetch ]; then
  : > "$HANG_DIR/holding"
  while [ -e "$HANG_DIR/hang" ]; do sleep 0.05; done
fi
exec "$REAL_GIT" "$@"
`;

describe('shipgate serve processes on one PostgreSQL database', () => {
  let cluster: TestPostgres;
  let dev: TestRepo;
  let origin: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let clone: string;
  let hang: { env: Record<string, string>; dir: string };
  const servers: ServeProcess[] = [];
  let store: Store | undefined;

  beforeAll(async () => {
    cluster = await startPostgres();
    dev = billingRepo();
    commitDocs(dev);
    origin = createRepo({ bare: true, prefix: 'shipgate-origin-' });
    dev.git('remote', 'add', 'origin', origin.dir);
    dev.git('push', '--quiet', '--tags', 'origin', 'main');
    temp = tempDir('shipgate-serve-');
    clone = path.join(temp.dir, 'clone');
    execFileSync('git', ['clone', '--quiet', origin.dir, clone], { env: gitEnvironment() });
    const bin = path.join(temp.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'git'), HANGING_GIT);
    chmodSync(path.join(bin, 'git'), 0o755);
    hang = { dir: temp.dir, env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, REAL_GIT, HANG_DIR: temp.dir } };
  });
  afterEach(async () => {
    rmSync(path.join(temp.dir, 'hang'), { force: true });
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    servers.length = 0;
    await store?.close();
    store = undefined;
  });
  afterAll(async () => {
    await cluster?.stop();
    temp?.cleanup();
    dev?.cleanup();
    origin?.cleanup();
  });

  const freshDb = async () => {
    const url = await cluster.createDatabase();
    store = await openStore({ kind: 'postgres', url });
    return { url, open: store };
  };
  const request = async (server: ServeProcess, token: string, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${server.url}${url}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const stop = async (server: ServeProcess) => {
    server.child.kill('SIGTERM');
    return server.exited;
  };

  it('two servers: 200 concurrent approvals each counted once, 200 jobs each run once, both serving the same data', async () => {
    const { url, open } = await freshDb();
    const tokens = Object.fromEntries(await Promise.all(Object.values(PEOPLE).map(async (person) => [person, (await createApiToken(open, { user: person })).token] as const)));
    const [a, b] = [await startServe(clone, url), await startServe(clone, url)];
    servers.push(a, b);
    const created = await request(a, tokens[PEOPLE.releaser]!, 'POST', '/api/v1/releases', { component: 'billing' });
    expect(created.status).toBe(201);
    expect((await request(b, tokens[PEOPLE.bob]!, 'GET', '/api/v1/releases/billing@2.1.0')).json).toMatchObject({ release: { id: 'billing@2.1.0', createdBy: PEOPLE.releaser } });

    // 200 timeline steps of the release's train date, due now, planted while both servers claim.
    const { policy } = await serverPolicy({ cwd: clone });
    const trainDate = String(created.json.trainDate);
    const [step] = timelineSteps(policy, { now: new Date(Date.parse(`${trainDate}T00:00:00Z`) - 20 * 86_400_000), windowMs: 40 * 86_400_000 }).filter((s) => s.train === 'module' && s.releaseDate === trainDate);
    const planting = inPool(200, 10, (index) => {
      const key = `timeline:module:${trainDate}:load-${String(index).padStart(3, '0')}`;
      return plantJob(open, { kind: 'timeline-step', key, payload: { ...step!, key, step: `load-${index}` } });
    });
    const approvers = [
      ...Array.from({ length: 70 }, () => [PEOPLE.alice, 'module-team'] as const),
      ...Array.from({ length: 70 }, () => [PEOPLE.bob, 'module-team'] as const),
      ...Array.from({ length: 60 }, () => [PEOPLE.lead, 'tech-lead'] as const),
    ];
    const answers = await inPool(approvers.length, 40, async (index) => {
      const [person, role] = approvers[index]!;
      return { person, ...(await request(index % 2 === 0 ? a : b, tokens[person]!, 'POST', '/api/v1/releases/billing@2.1.0/approvals', { role })) };
    });
    await planting;
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    for (const person of [PEOPLE.alice, PEOPLE.bob, PEOPLE.lead]) expect([person, answers.filter((answer) => answer.person === person && answer.json.recorded === true).length]).toEqual([person, 1]);
    const shown = await request(b, tokens[PEOPLE.pm]!, 'GET', '/api/v1/releases/billing@2.1.0');
    const events = shown.json.events as { actor: string; data: { kind: string; key?: string } }[];
    expect(events.filter((event) => event.data.kind === 'approval').map((event) => event.actor).sort()).toEqual([PEOPLE.alice, PEOPLE.bob, PEOPLE.lead].sort());

    await waitFor('200 steps done', async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM jobs WHERE key LIKE 'timeline:%:load-%' AND state = 'done'`.execute(open.db)).rows[0]?.n) === 200);
    const jobs = (await sql<{ key: string; attempts: number; lease_owner: string }>`SELECT key, attempts, lease_owner FROM jobs WHERE key LIKE 'timeline:%:load-%'`.execute(open.db)).rows;
    // Each claimed once (a second claim would count a second attempt), by one server or the other.
    expect(jobs.filter((job) => Number(job.attempts) !== 1)).toEqual([]);
    expect(new Set(jobs.map((job) => job.lease_owner))).toEqual(new Set([a.worker, b.worker]));
    const steps = ((await request(a, tokens[PEOPLE.pm]!, 'GET', '/api/v1/releases/billing@2.1.0')).json.events as typeof events).filter((event) => event.data.kind === 'step-due');
    expect(steps).toHaveLength(200);
    expect(new Set(steps.map((event) => event.data.key)).size).toBe(200);

    const exits = await Promise.all([stop(a), stop(b)]);
    expect(exits).toEqual([{ code: 0, signal: null }, { code: 0, signal: null }]);
    expect(a.stderr + b.stderr).toBe('');
    for (const token of Object.values(tokens)) expect(JSON.stringify([...a.lines, ...b.lines])).not.toContain(token.slice(22));
  }, 180_000);

  it('kill -9 of a server holding a job: the other server runs it after the lease expires, once', async () => {
    const { url, open } = await freshDb();
    writeFileSync(path.join(hang.dir, 'hang'), '');
    rmSync(path.join(hang.dir, 'holding'), { force: true });
    const lease = { SHIPGATE_JOB_LEASE_MS: '1500' };
    const doomed = await startServe(clone, url, { ...hang.env, ...lease });
    servers.push(doomed);
    await waitFor('the doomed server fetching', () => existsSync(path.join(hang.dir, 'holding')));
    const held = (await listJobs(open, { state: 'running' })).jobs.filter((job) => job.kind.startsWith('git-fetch:'));
    expect(held.map((job) => job.leaseOwner)).toEqual([doomed.worker]);
    const survivor = await startServe(clone, url, lease);
    servers.push(survivor);
    // Alive, the doomed server keeps its lease: the survivor takes nothing.
    await sleep(2_000);
    expect(await findJob(open, held[0]!.key)).toMatchObject({ state: 'running', leaseOwner: doomed.worker, attempts: 1 });
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    await waitFor('the survivor running the job', async () => (await findJob(open, held[0]!.key))?.state === 'done');
    const job = await findJob(open, held[0]!.key);
    expect(job).toMatchObject({ state: 'done', attempts: 2, leaseOwner: survivor.worker, result: { fetched: true, branch: 'main' } });
    expect(job?.lastError).toMatch(new RegExp(`^attempt 1: the lease of worker ${doomed.worker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} expired`));
    expect(await stop(survivor)).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('SIGTERM: the server stops claiming, hands back the job it could not finish in its grace period, closes and exits 0', async () => {
    const { url, open } = await freshDb();
    writeFileSync(path.join(hang.dir, 'hang'), '');
    rmSync(path.join(hang.dir, 'holding'), { force: true });
    const server = await startServe(clone, url, { ...hang.env, SHIPGATE_JOB_GRACE_MS: '300' });
    servers.push(server);
    await waitFor('the server fetching', () => existsSync(path.join(hang.dir, 'holding')));
    const [held] = (await listJobs(open, { state: 'running' })).jobs.filter((job) => job.kind.startsWith('git-fetch:'));
    const started = Date.now();
    expect(await stop(server)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    // Due again at once, and the attempt that was cut short does not count.
    expect(await findJob(open, held!.key)).toMatchObject({ state: 'due', attempts: 0, leaseOwner: null });
    expect(server.lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['signal', 'stopping: no new jobs or connections', 'stopped']));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 120_000);
});
