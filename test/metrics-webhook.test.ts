import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { pushSignature } from '../src/server/routes/hooks.js';
import type { Store } from '../src/store/open-store.js';
import { createRepo } from './helpers/git-repo.js';
import { serverApp } from './helpers/server-app.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const SECRET = 'metrics-s3cret';
const deployed = (state: string, extra: Record<string, unknown> = {}) => ({
  action: 'created',
  deployment_status: { state, created_at: '2026-02-03T18:00:00Z' },
  deployment: { environment: 'production', ref: 'billing/v1.1.0', payload: {} },
  repository: { name: 'billing', full_name: 'acme/billing' },
  sender: { login: 'octocat' },
  ...extra,
});
const issue = (action: string, labels: string[], closedAt: string | null = null) => ({
  action,
  issue: { number: 7, created_at: '2026-02-11T07:30:00Z', closed_at: closedAt, labels: labels.map((name) => ({ name })) },
  repository: { full_name: 'acme/shop' },
  sender: { login: 'oncall' },
});

describe.each(storeBackends())('the GitHub metrics webhook on $name', (backend) => {
  let store: Store | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await store?.close();
    store = undefined;
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  const setup = async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const repo = createRepo();
    repo.commit('chore: init', { 'README.md': 'x\n' });
    cleanups.push(repo.cleanup);
    const { call, token } = serverApp(open, repo.dir, { webhookSecret: SECRET, now: () => new Date('2026-03-01T00:00:00Z') });
    const hook = (event: string, body: string, headers: Record<string, string> = {}) =>
      call('POST', '/api/v1/hooks/github', { raw: body, headers: { 'X-GitHub-Event': event, 'X-Hub-Signature-256': pushSignature(SECRET, body), ...headers } });
    /** What the store holds: deploys, incidents and deliveries taken. */
    const counts = async () => {
      const n = async (table: string) => Number((await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(open.db)).rows[0]?.n);
      return { deployments: await n('deployments'), incidents: await n('incidents'), deliveries: await n('webhook_deliveries') };
    };
    return { call, token, hook, counts, open };
  };

  it('records a signed deployment_status, and refuses a wrong signature, a replay and a malformed body without recording anything', async () => {
    const { hook, counts } = await setup();
    const body = JSON.stringify(deployed('success'));

    // A wrong signature: the secret is not the server's, or the body was changed after signing.
    const forged = await hook('deployment_status', body, { 'X-GitHub-Delivery': 'd-1', 'X-Hub-Signature-256': pushSignature('wrong', body) });
    expect([forged.status, forged.json.code]).toEqual([401, 'ESIGNATURE']);
    const tampered = await hook('deployment_status', body.replace('success', 'failure'), { 'X-GitHub-Delivery': 'd-1', 'X-Hub-Signature-256': pushSignature(SECRET, body) });
    expect(tampered.status).toBe(401);
    expect(await counts()).toEqual({ deployments: 0, incidents: 0, deliveries: 0 });

    // Malformed, though signed: not JSON, JSON without the deployment's environment, a version that is not SemVer.
    const notJson = await hook('deployment_status', '{"deployment_status": ', { 'X-GitHub-Delivery': 'd-1' });
    expect([notJson.status, notJson.json.code]).toEqual([400, 'EJSON']);
    const missing = deployed('success') as { deployment: Record<string, unknown> };
    delete missing.deployment.environment;
    const noEnvironment = await hook('deployment_status', JSON.stringify(missing), { 'X-GitHub-Delivery': 'd-1' });
    expect([noEnvironment.status, noEnvironment.json.field]).toEqual([400, 'body.deployment.environment']);
    const badVersion = await hook('deployment_status', JSON.stringify(deployed('success', { deployment: { environment: 'production', ref: 'main', payload: { version: 'latest' } } })), { 'X-GitHub-Delivery': 'd-1' });
    expect(badVersion.status).toBe(400);
    expect(await counts()).toEqual({ deployments: 0, incidents: 0, deliveries: 0 });

    // No delivery id: a replay could not be told apart, so it is refused too.
    expect((await hook('deployment_status', body)).status).toBe(400);

    // The good delivery is recorded once; its replay is refused and records nothing more.
    const accepted = await hook('deployment_status', body, { 'X-GitHub-Delivery': 'd-1' });
    expect([accepted.status, accepted.json]).toEqual([202, { event: 'deployment_status', recorded: true, detail: 'deploy of billing@1.1.0 to production (succeeded)' }]);
    expect(await counts()).toEqual({ deployments: 1, incidents: 0, deliveries: 1 });
    const replay = await hook('deployment_status', body, { 'X-GitHub-Delivery': 'd-1' });
    expect([replay.status, replay.json.code]).toEqual([409, 'EREPLAY']);
    const replayOtherBody = await hook('deployment_status', JSON.stringify(deployed('failure')), { 'X-GitHub-Delivery': 'd-1' });
    expect(replayOtherBody.status).toBe(409);
    expect(await counts()).toEqual({ deployments: 1, incidents: 0, deliveries: 1 });

    // A status that is not a finished deploy, or an environment the policy lacks, records no deploy.
    expect((await hook('deployment_status', JSON.stringify(deployed('in_progress')), { 'X-GitHub-Delivery': 'd-2' })).json).toMatchObject({ recorded: false });
    expect((await hook('deployment_status', JSON.stringify(deployed('success', { deployment: { environment: 'github-pages', ref: 'v1.1.0' } })), { 'X-GitHub-Delivery': 'd-3' })).json).toMatchObject({ recorded: false });
    expect((await counts()).deployments).toBe(1);
  });

  it('turns issues with the incident label into incidents and their closing into the restore', async () => {
    const { hook, counts, call, token } = await setup();
    expect((await hook('issues', JSON.stringify(issue('opened', ['bug'])), { 'X-GitHub-Delivery': 'i-0' })).json).toMatchObject({ recorded: false });
    await hook('deployment_status', JSON.stringify({ ...deployed('success'), deployment_status: { state: 'success', created_at: '2026-02-11T06:00:00Z' } }), { 'X-GitHub-Delivery': 'd-1' });
    const opened = await hook('issues', JSON.stringify(issue('opened', ['incident', 'component:billing'])), { 'X-GitHub-Delivery': 'i-1' });
    expect(opened.json).toEqual({ event: 'issues', recorded: true, detail: 'incident acme/shop#7' });
    // Labelled again: already on record.
    expect((await hook('issues', JSON.stringify(issue('labeled', ['incident', 'component:billing'])), { 'X-GitHub-Delivery': 'i-2' })).json).toMatchObject({ recorded: false });
    const closed = await hook('issues', JSON.stringify(issue('closed', ['incident', 'component:billing'], '2026-02-11T08:45:00Z')), { 'X-GitHub-Delivery': 'i-3' });
    expect(closed.json).toMatchObject({ recorded: true });
    expect((await hook('issues', JSON.stringify(issue('closed', ['incident'], '2026-02-11T08:45:00Z')), { 'X-GitHub-Delivery': 'i-3' })).status).toBe(409);
    expect(await counts()).toEqual({ deployments: 1, incidents: 1, deliveries: 5 });

    // 07:30 to 08:45 UTC is 23:30 to 00:45 in Los Angeles: 75 minutes, and the deploy it followed failed.
    const metrics = await call('GET', '/api/v1/metrics?since=2026-02-09&until=2026-02-15', { token: await token('viewer@example.com') });
    expect(metrics.status).toBe(200);
    const figures = metrics.json.figures as unknown as { timeToRestore: { medianSeconds: number }; changeFailureRate: { rate: number } };
    expect([figures.timeToRestore.medianSeconds, figures.changeFailureRate.rate]).toEqual([75 * 60, 1]);
  });
});
