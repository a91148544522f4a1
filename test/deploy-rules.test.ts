import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bump, ReleaseType } from '../src/policy/schema.js';
import { findDeploy, insertDeployment, listDeployments, updateDeployment } from '../src/store/deployments.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { getRelease, listEvents, mutateRelease } from '../src/store/releases.js';
import { deployPolicyYaml } from './helpers/deploy-policy.js';
import { billingRepo, commitDocs, openRelease, PEOPLE, putReport, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';

const FAKE = fileURLToPath(new URL('./fixtures/deploy/fake-target.mjs', import.meta.url));

/** A port that refuses connections: a Prometheus that is down. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('deploy rules with a recording command target', () => {
  let temp: { dir: string; cleanup: () => void };
  let targets: string;
  let repo: TestRepo;
  let db: string;
  let store: Store;
  let policyYaml: string;

  const cli = (...args: string[]) => runCli([...args, '--db', db], { cwd: repo.dir });
  /** The CLI as a tech lead (git's user.email from the environment): manual rollbacks are theirs by default. */
  const asLead = (...args: string[]) => runCli([...args, '--db', db], { cwd: repo.dir, env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.email', GIT_CONFIG_VALUE_0: PEOPLE.lead } });
  const release = async (version: string, options: { type?: ReleaseType; approve?: boolean; bump?: Bump } = {}) => {
    const created = await openRelease(store, testPolicy(), repo, { bump: options.bump ?? 'minor', version, type: options.type ?? 'scheduled' });
    if (options.approve !== false) await mutateRelease(store, created.id, (current) => ({ actor: 'test', events: [{ kind: 'transition', from: current.state, to: 'approved', reason: 'test: its gates passed' }], patch: { state: 'approved' } }));
    return created.id;
  };
  const argv = () => readFileSync(path.join(targets, 'argv.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]);

  beforeAll(async () => {
    temp = tempDir('shipgate-deploy-rules-');
    targets = path.join(temp.dir, 'targets');
    mkdirSync(targets);
    const target = `    target:
      type: command
      deploy: ['${process.execPath}', '${FAKE}', '${targets}', deploy, '{environment}', '{version}', 'image {image}; echo $HOME']
      current: ['${process.execPath}', '${FAKE}', '${targets}', current, '{environment}']
      timeout: 30s
`;
    policyYaml = deployPolicyYaml(target, [
      { name: 'staging', after: null, soak: null },
      { name: 'production', after: 'staging', soak: '1h' },
      {
        name: 'qa',
        after: null,
        soak: null,
        more: `    analysis:
      interval: 1s
      count: 1
      consecutiveErrorLimit: 0
      prometheus: { url: 'http://127.0.0.1:${await closedPort()}', errorRate: 'sum(rate(errors[1m]))' }
`,
      },
    ]);
    repo = billingRepo();
    commitDocs(repo);
    repo.commit('chore: deploy policy', { 'shipgate.yaml': policyYaml });
    db = path.join(temp.dir, 'store.sqlite');
    store = await openStore({ kind: 'sqlite', file: db });
  });
  afterAll(async () => {
    await store?.close();
    repo?.cleanup();
    temp?.cleanup();
  });

  it('refuses a release that has not passed its gates, saying how to see what is missing', async () => {
    const id = await release('2.0.5', { approve: false });
    const run = cli('deploy', id, '--to', 'staging');
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toContain(`${id} has not passed its gates (it is candidate)`);
  });

  it('deploys through argument lists: a placeholder fills one argument and never runs a shell; the release moves to staging', async () => {
    const id = await release('2.1.0');
    const run = cli('deploy', id, '--to', 'staging');
    expect(run.stderr).toContain('deploying billing 2.1.0 to staging');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('deploy billing 2.1.0 to staging: succeeded');
    expect(argv()).toEqual([['deploy', 'staging', '2.1.0', 'image registry.example/billing:2.1.0; echo $HOME']]);
    expect((await getRelease(store, id))?.state).toBe('soaking');
    const steps = (await listEvents(store, id)).flatMap((event) => (event.data.kind === 'deploy' ? [event.data.step] : []));
    expect(steps).toEqual(['started', 'rolled-out', 'smoke-passed', 'succeeded']);
  });

  it('refuses production until the soak in staging ends, and says when it ends', async () => {
    const staging = await findDeploy(store, 'billing@2.1.0', 'staging');
    const ends = new Date(Date.parse(staging?.rolledOutAt ?? '') + 3_600_000).toISOString();
    const run = cli('deploy', 'billing@2.1.0', '--to', 'production');
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toContain(`its 1h soak ends at ${ends}`);
  });

  it('an emergency deploys without its gates or a soak, and the record says it owes its post-mortem', async () => {
    const id = await release('2.1.1', { type: 'emergency', approve: false });
    expect(cli('deploy', id, '--to', 'staging').code).toBe(0);
    expect(cli('deploy', id, '--to', 'production').code).toBe(0);
    const details = (await listEvents(store, id)).flatMap((event) => (event.data.kind === 'deploy' && event.data.step === 'started' ? [event.data.detail ?? ''] : []));
    expect(details[0]).toContain('emergency release: deployed without passing its gates (recorded; it owes a post-mortem)');
    expect(details[1]).toContain('no staging run or soak required');
    expect((await getRelease(store, id))?.state).toBe('production');
    const check = JSON.parse(cli('check', id, '--json').stdout) as { postmortem: { state: string } };
    expect(check.postmortem.state).toBe('owed');
  });

  it('an unreachable Prometheus makes the analysis inconclusive, never a pass: the deployment pauses, says why, and a person resumes it', async () => {
    const id = await release('2.1.2');
    const run = cli('deploy', id, '--to', 'qa');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('deploy billing 2.1.2 to qa: paused');
    const events = await listEvents(store, id);
    const paused = events.find((event) => event.data.kind === 'pipeline' && event.data.step === 'paused');
    expect(paused?.data.kind === 'pipeline' && paused.data.detail).toMatch(/inconclusive.*did not answer/);
    const shown = cli('release', 'show', id);
    expect(shown.stdout).toMatch(/pipeline\s+paused qa: the analysis of deployment #\d+ was inconclusive/);
    const resumed = cli('pipeline', 'resume', id, '--env', 'qa', '--reason', 'Prometheus was down for maintenance; dashboards look fine');
    expect(resumed.code).toBe(0);
    expect((await findDeploy(store, id, 'qa'))?.outcome).toBe('succeeded');
  });

  it('a manual rollback is a tech lead\'s: anyone else is refused with nothing written; over a migration that is not rollback-safe it is refused, and with --force it goes with the force on the record', async () => {
    repo.tag('billing/v2.1.0', 'billing 2.1.0');
    repo.commit('feat(billing)!: drop the legacy column', { 'modules/billing/migrations/002_drop_legacy.sql': 'ALTER TABLE invoices DROP COLUMN legacy;\n' });
    repo.tag('billing/v2.3.0', 'billing 2.3.0');
    const id = await release('2.3.0');
    expect(cli('deploy', id, '--to', 'staging').code).toBe(0);
    const deploymentsBefore = await listDeployments(store, { releaseId: id });
    const eventsBefore = (await listEvents(store, id)).length;
    const forbidden = cli('rollback', 'billing', '--env', 'staging', '--to', '2.1.0', '--reason', 'invoices are wrong', '--force');
    expect(forbidden.code).toBe(2);
    expect(expectOneLineError(forbidden)).toContain(`author@example.com may not roll back billing: manual rollbacks are for tech-lead (held by ${PEOPLE.lead}, ${PEOPLE.lead2})`);
    expect(await listDeployments(store, { releaseId: id })).toEqual(deploymentsBefore);
    expect((await listEvents(store, id)).length).toBe(eventsBefore);
    expect(readFileSync(path.join(targets, 'staging.version'), 'utf8')).toBe('2.3.0');

    const refused = asLead('rollback', 'billing', '--env', 'staging', '--reason', 'invoices are wrong');
    expect(refused.code).toBe(1);
    const line = expectOneLineError(refused);
    expect(line).toContain('rolling billing back to 2.1.1 is not rollback-safe');
    expect(line).toContain('002_drop_legacy.sql');
    expect(readFileSync(path.join(targets, 'staging.version'), 'utf8')).toBe('2.3.0');

    const forced = asLead('rollback', 'billing', '--env', 'staging', '--to', '2.1.0', '--reason', 'invoices are wrong; the column is restored by hand', '--force', '--json');
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(targets, 'staging.version'), 'utf8')).toBe('2.1.0');
    const rollback = (await listEvents(store, id)).find((event) => event.data.kind === 'rollback')?.data;
    expect(rollback).toMatchObject({ kind: 'rollback', from: '2.3.0', to: '2.1.0', automatic: false, forced: true });
    expect(rollback?.kind === 'rollback' && rollback.evidence.join('\n')).toMatch(/forced: invoices are wrong[\s\S]*002_drop_legacy\.sql/);
    expect((await getRelease(store, id))?.state).toBe('rolled-back');
  });

  it('a hotfix waits for no soak but owes its smoke tests before production: refused until a deploy ran them or CI reported them', async () => {
    const id = await release('2.3.1', { type: 'hotfix', bump: 'patch' });
    const refused = cli('deploy', id, '--to', 'production');
    expect(refused.code).toBe(1);
    const line = expectOneLineError(refused);
    expect(line).toContain(`${id} has no passing smoke tests: "Smoke tests passing" is required before production (required before production: run by the deploy to staging, or reported by CI as JUnit)`);
    expect(line).toContain('deploy it to staging first, where its smoke tests run (a hotfix release waits for no soak)');
    expect(await findDeploy(store, id, 'production')).toBeUndefined();
    // Staging runs the smoke tests; production follows at once, with no soak.
    expect(cli('deploy', id, '--to', 'staging').code).toBe(0);
    expect(cli('deploy', id, '--to', 'production').code).toBe(0);
    expect(readFileSync(path.join(targets, 'production.version'), 'utf8')).toBe('2.3.1');

    // CI's JUnit report of the smoke tests is evidence as well: straight to production.
    const reported = await release('2.3.2', { type: 'hotfix', bump: 'patch' });
    putReport(repo, 'tool-output/vitest-passing.xml', 'reports/smoke/hotfix.xml');
    try {
      const run = cli('deploy', reported, '--to', 'production');
      expect(run.code, run.stderr).toBe(0);
    } finally {
      rmSync(path.join(repo.dir, 'reports'), { recursive: true, force: true });
    }
    expect(await findDeploy(store, reported, 'staging')).toBeUndefined();
  });

  it('refuses a release whose declared dependency does not run in the environment, naming what is missing', async () => {
    repo.commit('chore: billing requires platform', { 'shipgate.yaml': `${policyYaml}notes:\n  dependencies:\n    billing: ['Requires platform v3.1.0+']\n` });
    const id = await release('2.4.0');
    const missing = cli('deploy', id, '--to', 'staging');
    expect(missing.code).toBe(1);
    expect(expectOneLineError(missing)).toContain(`${id} requires platform v3.1.0+ in staging: platform is not running in staging`);

    const platform = await insertDeployment(store, { releaseId: null, component: 'platform', environment: 'staging', version: '3.0.2', releaseType: null, kind: 'deploy', previousVersion: null, phase: 'done', pipeline: false, actor: 'test', reason: null, startedAt: new Date().toISOString() });
    await updateDeployment(store, platform.id, { rolledOutAt: new Date().toISOString(), outcome: 'succeeded' });
    expect(expectOneLineError(cli('deploy', id, '--to', 'staging'))).toContain('staging runs platform 3.0.2');

    const newer = await insertDeployment(store, { releaseId: null, component: 'platform', environment: 'staging', version: '3.1.0', releaseType: null, kind: 'deploy', previousVersion: null, phase: 'done', pipeline: false, actor: 'test', reason: null, startedAt: new Date().toISOString() });
    await updateDeployment(store, newer.id, { rolledOutAt: new Date().toISOString(), outcome: 'succeeded' });
    expect(cli('deploy', id, '--to', 'staging').code).toBe(0);
  });
});
