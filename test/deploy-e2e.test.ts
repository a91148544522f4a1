import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReleaseEvent } from '../src/gates/types.js';
import { findDeploy, listDeployments } from '../src/store/deployments.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { getRelease, listEvents, mutateRelease } from '../src/store/releases.js';
import { dockerEngineRunning } from '../src/registry/docker-engine.js';
import { freePort, pushTinyImage, startPrometheus, startRegistry, tagDigest, type RealServer } from './helpers/deploy-servers.js';
import { billingRepo, commitDocs, openRelease, PEOPLE, POLICY_YAML, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { runCli, tempDir } from './helpers/run-cli.js';
import { startServe, type ServeProcess } from './helpers/serve-process.js';

const dockerRunning = await dockerEngineRunning();
const CTL = fileURLToPath(new URL('./fixtures/deploy/ctl.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const ERROR_RATE = (env: string) => `sum(rate(http_requests_total{environment="${env}",version="{version}",code="500"}[10s])) / sum(rate(http_requests_total{environment="${env}",version="{version}"}[10s]))`;
const LATENCY = (env: string) => `histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{environment="${env}",version="{version}"}[10s])))`;

describe('deploying end to end: the command target runs a fixture service, Debian\'s Prometheus scrapes it, Debian\'s docker-registry holds the image', () => {
  let temp: { dir: string; cleanup: () => void };
  let state: string;
  let prometheus: RealServer;
  let registry: RealServer & { host: string };
  let repo: TestRepo;
  let db: string;
  let store: Store;
  let digest: string;
  const servers: ServeProcess[] = [];
  const ports: Record<string, number> = {};

  const env = (name: string, after: string | null, soak: string | null) => `  ${name}:
    after: ${after ?? 'null'}
    soak: ${soak ?? 'null'}
    namespace: ${name}
    strategy: rolling
    smokeTests: { http: [{ url: 'http://127.0.0.1:${ports[name]}/version', expect: 200 }] }
    target:
      type: command
      deploy: ['${process.execPath}', '${CTL}', '${state}', deploy, '{environment}', '{version}']
      current: ['${process.execPath}', '${CTL}', '${state}', current, '{environment}']
      timeout: 30s
    analysis:
      interval: 2s
      count: 2
      inconclusiveLimit: 1
      prometheus:
        url: ${prometheus.url}
        errorRate: '${ERROR_RATE(name)}'
        latency: '${LATENCY(name)}'
      health: [{ url: 'http://127.0.0.1:${ports[name]}/health', expect: 200 }]
`;

  const approved = async (version: string) => {
    const release = await openRelease(store, testPolicy(), repo, { bump: 'minor', version });
    await mutateRelease(store, release.id, (current) => ({ actor: 'test', events: [{ kind: 'transition', from: current.state, to: 'approved', reason: 'test: its gates passed' }], patch: { state: 'approved' } }));
    return release.id;
  };
  const deploysLog = () => readFileSync(path.join(state, 'deploys.log'), 'utf8').trim().split('\n');
  const running = (environment: string) => readFileSync(path.join(state, `${environment}.version`), 'utf8');
  const kinds = (events: readonly ReleaseEvent[], kind: string) => events.filter((event) => event.data.kind === kind);
  /** Whether Prometheus answers `query` with a number now (a version back for a few seconds may have none yet). */
  const measured = async (query: string) => {
    const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
    const value = Number(body.data?.result?.[0]?.value?.[1]);
    return Number.isFinite(value);
  };

  beforeAll(async () => {
    temp = tempDir('shipgate-deploy-');
    state = path.join(temp.dir, 'state');
    ports.staging = await freePort();
    ports.production = await freePort();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(state);
    writeFileSync(path.join(state, 'ports.json'), JSON.stringify(ports));
    writeFileSync(path.join(state, 'behaviours.json'), JSON.stringify({ '2.2.0': { errorRate: 0.2 }, '2.3.0': { health: 500 } }));
    prometheus = await startPrometheus(path.join(temp.dir, 'prometheus'), { staging: `127.0.0.1:${ports.staging}`, production: `127.0.0.1:${ports.production}` });
    registry = await startRegistry(path.join(temp.dir, 'registry'));
    digest = await pushTinyImage(registry.url, 'billing', '2.1.0');
    repo = billingRepo();
    commitDocs(repo);
    repo.commit('chore: deploy policy', {
      'shipgate.yaml': `${POLICY_YAML}artifacts:
  image: ${registry.host}/{name}
  tags: ['{version}', '{major}', '{major}.{minor}', latest]
environments:
${env('staging', null, null)}${env('production', 'staging', '8s')}`,
    });
    db = path.join(temp.dir, 'store.sqlite');
    store = await openStore({ kind: 'sqlite', file: db });
  }, 90_000);

  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    for (const environment of ['staging', 'production']) {
      const pid = Number((() => {
        try {
          return readFileSync(path.join(state, `${environment}.pid`), 'utf8');
        } catch {
          return '0';
        }
      })());
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
    await store?.close();
    await prometheus?.stop();
    await registry?.stop();
    repo?.cleanup();
    temp?.cleanup();
  });

  it('a good version goes to staging, soaks, goes to production with exactly one deploy though the server is killed -9 during the soak, and its tags are promoted', async () => {
    const id = await approved('2.1.0');
    const started = runCli(['pipeline', 'start', id, '--db', db], { cwd: repo.dir });
    expect(started.stderr).toBe('');
    expect(started.stdout).toContain(`planted: deploy ${id} to staging`);

    servers.push(await startServe(repo.dir, db));
    const staging = await until('staging to succeed', async () => {
      const row = await findDeploy(store, id, 'staging');
      return row?.outcome === 'succeeded' ? row : undefined;
    });
    expect((await getRelease(store, id))?.state).toBe('soaking');
    // The soak (8 s from the staging rollout) is still running: the production deploy is a job waiting for its time.
    expect(await findDeploy(store, id, 'production')).toBeUndefined();
    const soakEnds = Date.parse(staging.rolledOutAt ?? '') + 8_000;
    expect(Date.now()).toBeLessThan(soakEnds);
    servers[0]!.child.kill('SIGKILL');
    await servers[0]!.exited;

    servers.push(await startServe(repo.dir, db));
    const production = await until('production to succeed', async () => {
      const row = await findDeploy(store, id, 'production');
      return row?.outcome === 'succeeded' ? row : undefined;
    });
    expect(Date.parse(production.startedAt)).toBeGreaterThanOrEqual(soakEnds - 50);
    expect(deploysLog().filter((line) => line === 'production 2.1.0')).toHaveLength(1);
    expect((await listDeployments(store, { releaseId: id, environment: 'production' })).filter((row) => row.kind === 'deploy')).toHaveLength(1);

    // The tags move once the release runs in production: copies of the pushed manifest.
    await until('the tags to be promoted', async () => (await tagDigest(registry.url, 'billing', 'latest')) !== null);
    for (const tag of ['2.1.0', '2', '2.1', 'latest']) expect(await tagDigest(registry.url, 'billing', tag)).toBe(digest);

    const events = await listEvents(store, id);
    const verdicts = kinds(events, 'analysis').filter((event) => event.data.kind === 'analysis' && event.data.round === null);
    expect(verdicts.map((event) => event.data.kind === 'analysis' && `${event.data.environment} ${event.data.phase}`)).toEqual(['staging successful', 'production successful']);
    expect(kinds(events, 'artifacts')).toHaveLength(1);
    const release = await getRelease(store, id);
    expect(release?.state).toBe('production');

    // Deploying again finds the deployment: nothing runs twice.
    const again = runCli(['deploy', id, '--to', 'staging', '--db', db], { cwd: repo.dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already deployed');
    expect(deploysLog().filter((line) => line === 'staging 2.1.0')).toHaveLength(1);

    // The post-release checklist: the measured items passed; the people's items are sign-offs, and the last one verifies.
    const check = JSON.parse(runCli(['check', id, '--json', '--db', db], { cwd: repo.dir }).stdout) as { gates: { id: string; verdict: string }[] };
    const post = Object.fromEntries(check.gates.filter((gate) => gate.id.startsWith('postRelease.')).map((gate) => [gate.id, gate.verdict]));
    expect(post).toMatchObject({ 'postRelease.deployment-health': 'pass', 'postRelease.error-rates': 'pass', 'postRelease.performance': 'pass', 'postRelease.update-release-notes': 'fail' });
    for (const item of ['update-release-notes', 'announce-in-engineering', 'update-customer-documentation']) expect(runCli(['signoff', id, item, '--db', db], { cwd: repo.dir }).code).toBe(0);
    expect((await getRelease(store, id))?.state).toBe('verified');

    servers[1]!.child.kill('SIGTERM');
    await servers[1]!.exited;
  }, 120_000);

  it('a version serving 20% errors is rolled back automatically within its analysis window, with the evidence in the event log', async () => {
    const id = await approved('2.2.0');
    const began = Date.now();
    const run = runCli(['deploy', id, '--to', 'staging', '--db', db], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(Date.now() - began).toBeLessThan(2 * 2_000 + 15_000);
    expect(run.stdout).toMatch(/deploy billing 2\.2\.0 to staging: rolled-back, rolled back by #\d+/);
    expect(running('staging')).toBe('2.1.0');
    const events = await listEvents(store, id);
    const rollback = kinds(events, 'rollback')[0]?.data;
    expect(rollback).toMatchObject({ kind: 'rollback', from: '2.2.0', to: '2.1.0', automatic: true });
    const evidence = rollback?.kind === 'rollback' ? rollback.evidence.join('\n') : '';
    expect(evidence).toContain('error-rate failed');
    expect(evidence).toContain('version="2.2.0"');
    expect(evidence).toContain('threshold 0.05');
    // 20% of the fixture's requests fail; Prometheus' rate arithmetic may print 0.19999999999999998.
    expect(Number(/ = (\d+(?:\.\d+)?), threshold/.exec(evidence)?.[1])).toBeCloseTo(0.2, 2);
    expect((await getRelease(store, id))?.state).toBe('rolled-back');
  }, 60_000);

  it('a version whose health check fails is rolled back too', async () => {
    const id = await approved('2.3.0');
    const run = runCli(['deploy', id, '--to', 'staging', '--db', db], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(running('staging')).toBe('2.1.0');
    const rollback = kinds(await listEvents(store, id), 'rollback')[0]?.data;
    expect(rollback?.kind === 'rollback' && rollback.evidence.join('\n')).toContain('health failed');
  }, 60_000);

  it('a manual rollback puts the last version that passed back, on the record', async () => {
    const id = await approved('2.4.0');
    // The analysis compares 2.4.0's latency with 2.1.0's just before it; 2.1.0 came back by a rollback
    // moments ago, and without a baseline the analysis is rightly inconclusive (and pauses).
    await until('a latency baseline for 2.1.0 in staging', () => measured(LATENCY('staging').replace('{version}', '2.1.0')));
    const deployed = runCli(['deploy', id, '--to', 'staging', '--db', db], { cwd: repo.dir });
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    expect(running('staging')).toBe('2.4.0');
    // Manual rollbacks are for tech leads (the built-in rollback roles): the CLI runs as one.
    const run = runCli(['rollback', 'billing', '--env', 'staging', '--reason', 'customers report slow invoices', '--db', db, '--json'], { cwd: repo.dir, env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.email', GIT_CONFIG_VALUE_0: PEOPLE.lead } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ from: '2.4.0', to: '2.1.0', forced: false });
    expect(running('staging')).toBe('2.1.0');
    const rollback = kinds(await listEvents(store, id), 'rollback')[0]?.data;
    expect(rollback).toMatchObject({ automatic: false, reason: 'customers report slow invoices', to: '2.1.0' });
    expect((await findDeploy(store, id, 'staging'))?.rolledBackBy).not.toBeNull();
  }, 60_000);

  it('artifacts without --push shows the SemVer-aware plan; --push of a version whose image is not in the registry is refused when no Docker engine runs to build it', async () => {
    const id = await approved('2.0.1');
    const plan = runCli(['artifacts', id, '--db', db], { cwd: repo.dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`${registry.host}/billing:2.0.1 moves here`);
    expect(plan.stdout).toContain(`${registry.host}/billing:latest stays: 2.1.0 is a higher release`);
    if (dockerRunning) return;
    const push = runCli(['artifacts', id, '--push', '--db', db], { cwd: repo.dir });
    expect(push.code).toBe(2);
    expect(push.stderr).toContain(`${registry.host}/billing:2.0.1 is not in the registry, and no Docker engine runs here to build it`);
  }, 30_000);

  it.skipIf(!dockerRunning)('artifacts --push builds the image with docker build when a Docker engine runs (none runs here: skipped)', async () => {
    const id = await approved('2.0.2');
    repo.write('modules/billing/Dockerfile', 'FROM scratch\nCOPY package.json /\n');
    expect(runCli(['artifacts', id, '--push', '--db', db], { cwd: repo.dir }).code).toBe(0);
    expect(await tagDigest(registry.url, 'billing', '2.0.2')).not.toBeNull();
  }, 120_000);
});
