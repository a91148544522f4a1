import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverPolicy } from '../src/app/governing-policy.js';
import { pipelineHandlers } from '../src/app/pipeline-jobs.js';
import { startJobRunner, type JobRunner } from '../src/jobs/run-jobs.js';
import type { Store } from '../src/store/open-store.js';
import { listDeployments } from '../src/store/deployments.js';
import { getRelease, listEvents, mutateRelease } from '../src/store/releases.js';
import { deployPolicyYaml } from './helpers/deploy-policy.js';
import { billingRepo, commitDocs, openRelease, PEOPLE, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/run-cli.js';
import { serverApp } from './helpers/server-app.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const FAKE = fileURLToPath(new URL('./fixtures/deploy/fake-target.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(storeBackends())('deploys through the HTTP API and the pipeline\'s job handlers on $name', (backend) => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let targets: string;
  let store: Store | undefined;
  let runner: JobRunner | undefined;

  beforeAll(() => {
    temp = tempDir('shipgate-deploy-api-');
    targets = path.join(temp.dir, 'targets');
    mkdirSync(targets);
    const target = `    target:
      type: command
      deploy: ['${process.execPath}', '${FAKE}', '${targets}', deploy, '{environment}', '{version}']
      current: ['${process.execPath}', '${FAKE}', '${targets}', current, '{environment}']
`;
    repo = billingRepo();
    commitDocs(repo);
    repo.commit('chore: deploy policy', {
      'shipgate.yaml': deployPolicyYaml(
        target,
        [
          { name: 'staging', after: null, soak: null },
          { name: 'production', after: 'staging', soak: '2s' },
        ],
        {
          artifacts: '  promote: manual\n',
          top: `postRelease:
  - { id: deployment-health, title: Verify deployment health, evidence: deployment-health }
  - { id: announce, title: 'Announce in #engineering', role: tech-lead }
`,
        },
      ),
    });
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await store?.close();
    store = undefined;
  });
  afterAll(() => {
    repo.cleanup();
    temp.cleanup();
  });

  it('POST .../pipeline plants the path, the handlers deploy staging then production after the soak, GET .../deployments lists them, sign-offs verify', async () => {
    ({ store } = await freshStore(backend));
    const { call, token } = serverApp(store, repo.dir);
    const [releaser, lead] = await Promise.all([token(PEOPLE.releaser), token(PEOPLE.lead)]);
    const candidate = await openRelease(store, testPolicy(), repo, { bump: 'minor', version: '2.1.0' });
    const refused = await call('POST', '/api/v1/releases/billing@2.1.0/deployments', { token: releaser, body: { environment: 'staging' } });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'EDEPLOY', detail: 'billing@2.1.0 has not passed its gates (it is candidate)', nextRequest: 'GET /api/v1/releases/billing%402.1.0/gates' });
    await mutateRelease(store, candidate.id, (current) => ({ actor: 'test', events: [{ kind: 'transition', from: current.state, to: 'approved', reason: 'test: its gates passed' }], patch: { state: 'approved' } }));

    const started = await call('POST', '/api/v1/releases/billing@2.1.0/pipeline', { token: releaser });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ planted: [{ environment: 'staging', new: true }] });
    expect((await call('POST', '/api/v1/releases/billing@2.1.0/pipeline', { token: releaser })).json).toMatchObject({ planted: [{ environment: 'staging', new: false }] });

    const handlers = pipelineHandlers({ store, cwd: repo.dir, policy: async () => (await serverPolicy({ cwd: repo.dir })).policy });
    runner = startJobRunner({ store, handlers, pollMs: 50, log: () => undefined });
    const deadline = Date.now() + 60_000;
    while ((await getRelease(store, candidate.id))?.state !== 'production') {
      if (Date.now() > deadline) throw new Error('the pipeline did not reach production');
      await sleep(100);
    }
    const listed = await call('GET', '/api/v1/releases/billing@2.1.0/deployments', { token: releaser });
    expect(listed.status).toBe(200);
    const rows = (listed.json as unknown as { deployments: { environment: string; kind: string; outcome: string; pipeline: boolean; rolledOutAt: string }[] }).deployments;
    expect(rows.map((row) => [row.environment, row.kind, row.outcome, row.pipeline])).toEqual([
      ['production', 'deploy', 'succeeded', true],
      ['staging', 'deploy', 'succeeded', true],
    ]);
    expect(readFileSync(path.join(targets, 'production.version'), 'utf8')).toBe('2.1.0');
    // Production waited for the staging soak.
    expect(Date.parse(rows[0]!.rolledOutAt) - Date.parse(rows[1]!.rolledOutAt)).toBeGreaterThanOrEqual(2_000);

    // The measured item passed; the announcement is a tech lead's sign-off, and it verifies the release.
    const notLead = await call('POST', '/api/v1/releases/billing@2.1.0/signoffs', { token: releaser, body: { gate: 'announce' } });
    expect([notLead.status, notLead.json.code]).toEqual([403, 'ESIGNOFF']);
    const signed = await call('POST', '/api/v1/releases/billing@2.1.0/signoffs', { token: lead, body: { gate: 'postRelease.announce', comment: 'posted' } });
    expect(signed.status).toBe(200);
    expect(signed.json).toMatchObject({ gate: 'postRelease.announce', recorded: true, release: { state: 'verified' } });

    // A manual rollback is a tech lead's: the releaser is refused before anything is written or run.
    const before = { rows: await listDeployments(store, { releaseId: candidate.id }), events: (await listEvents(store, candidate.id)).length };
    const forbidden = await call('POST', '/api/v1/rollbacks', { token: releaser, body: { component: 'billing', environment: 'production', to: '2.0.0', reason: 'testing' } });
    expect([forbidden.status, forbidden.json.code]).toEqual([403, 'EROLLBACK']);
    expect(String(forbidden.json.detail)).toContain(`manual rollbacks are for tech-lead (held by ${PEOPLE.lead}, ${PEOPLE.lead2})`);
    expect(await listDeployments(store, { releaseId: candidate.id })).toEqual(before.rows);
    expect((await listEvents(store, candidate.id)).length).toBe(before.events);
    expect(readFileSync(path.join(targets, 'production.version'), 'utf8')).toBe('2.1.0');

    const rollback = await call('POST', '/api/v1/rollbacks', { token: lead, body: { component: 'billing', environment: 'production', reason: 'testing' } });
    expect([rollback.status, rollback.json.code]).toEqual([404, 'EROLLBACK']);
  }, 90_000);
});

