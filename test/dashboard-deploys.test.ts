import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { DateTime } from 'luxon';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceDeployment } from '../src/app/advance-deployment.js';
import { createApiToken } from '../src/app/api-tokens.js';
import { startDeployment } from '../src/app/deploy-release.js';
import { serverPolicy } from '../src/app/governing-policy.js';
import { resumePipeline } from '../src/app/start-pipeline.js';
import { buildApp } from '../src/server/app.js';
import { csrfToken, SESSION_COOKIE } from '../src/server/dashboard/session.js';
import { findDeploy, insertDeployment, listDeployments, updateDeployment } from '../src/store/deployments.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { listEvents, mutateRelease } from '../src/store/releases.js';
import { inspectPage, openBrowser } from './helpers/browser.js';
import { deployPolicyYaml } from './helpers/deploy-policy.js';
import { billingRepo, commitDocs, openRelease, PEOPLE, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/run-cli.js';

/*
 * The release page's deployments, in-process (app.request) and in real headless Chromium: the rows,
 * the soak countdown, the analysis measurements, why the pipeline paused, and the rollback form that
 * only people the policy lets roll back see. A recording command target stands in for the service;
 * the health check is a real HTTP server on 127.0.0.1, and Prometheus is a closed port (down).
 */
const FAKE = fileURLToPath(new URL('./fixtures/deploy/fake-target.mjs', import.meta.url));
const ORIGIN = 'http://localhost';
const ID = 'billing@2.1.0';
const PAGE = `/releases/${encodeURIComponent(ID)}`;

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server: Server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('the release page\'s deployments, soak countdown, analysis and rollback form', { timeout: 180_000 }, () => {
  let temp: { dir: string; cleanup: () => void };
  let targets: string;
  let repo: TestRepo;
  let store: Store;
  let app: ReturnType<typeof buildApp>;
  let health: ReturnType<typeof createHttpServer>;
  let healthUrl: string;
  let lead: string;
  let releaser: string;
  /** The display clock of the in-process app: 48 minutes into the staging soak once it is known. */
  let clock = new Date();

  const cookie = (token: string) => ({ Cookie: `${SESSION_COOKIE}=${token}` });
  const get = async (token: string) => {
    const response = await app.request(`${ORIGIN}${PAGE}`, { headers: cookie(token) });
    return { status: response.status, text: await response.text() };
  };
  const post = (token: string, fields: Record<string, string>) =>
    app.request(`${ORIGIN}${PAGE}/rollback`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...cookie(token) }, body: new URLSearchParams({ csrf: csrfToken(token), ...fields }).toString() });
  const running = () => readFileSync(path.join(targets, 'staging.version'), 'utf8');

  beforeAll(async () => {
    temp = tempDir('shipgate-dashboard-deploys-');
    targets = path.join(temp.dir, 'targets');
    mkdirSync(targets);
    health = createHttpServer((_request, response) => response.writeHead(200).end('ok'));
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/health`;
    const target = `    target:
      type: command
      deploy: ['${process.execPath}', '${FAKE}', '${targets}', deploy, '{environment}', '{version}']
      current: ['${process.execPath}', '${FAKE}', '${targets}', current, '{environment}']
      timeout: 30s
`;
    repo = billingRepo();
    commitDocs(repo);
    repo.commit('chore: deploy policy', {
      'shipgate.yaml': deployPolicyYaml(target, [
        {
          name: 'staging',
          after: null,
          soak: null,
          more: `    analysis:
      interval: 1s
      count: 1
      consecutiveErrorLimit: 0
      prometheus: { url: 'http://127.0.0.1:${await closedPort()}', errorRate: 'sum(rate(errors[1m]))' }
      health: [{ url: '${healthUrl}', expect: 200 }]
`,
        },
        { name: 'production', after: 'staging', soak: '5h' },
      ]),
    });
    store = await openStore({ kind: 'sqlite', file: path.join(temp.dir, 'store.sqlite') });
    app = buildApp({ store, cwd: repo.dir, log: pino({ level: 'silent' }), policy: () => serverPolicy({ cwd: repo.dir }), now: () => clock });
    lead = (await createApiToken(store, { user: PEOPLE.lead })).token;
    releaser = (await createApiToken(store, { user: PEOPLE.releaser })).token;

    // billing 2.0.0 ran in staging before: what a rollback puts back.
    writeFileSync(path.join(targets, 'staging.version'), '2.0.0');
    const before = await insertDeployment(store, { releaseId: null, component: 'billing', environment: 'staging', version: '2.0.0', releaseType: null, kind: 'deploy', previousVersion: null, phase: 'done', pipeline: false, actor: 'test', reason: null, startedAt: new Date(Date.now() - 86_400_000).toISOString() });
    await updateDeployment(store, before.id, { rolledOutAt: new Date(Date.now() - 86_000_000).toISOString(), outcome: 'succeeded' });

    const release = await openRelease(store, testPolicy(), repo, { bump: 'minor', version: '2.1.0' });
    await mutateRelease(store, release.id, (current) => ({ actor: 'test', events: [{ kind: 'transition', from: current.state, to: 'approved', reason: 'test: its gates passed' }], patch: { state: 'approved' } }));
    const { policy } = await serverPolicy({ cwd: repo.dir });
    const started = await startDeployment({ store, policy, ref: ID, environment: 'staging', actor: PEOPLE.releaser, pipeline: true });
    const sleep = async (_row: unknown, at: Date) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() - Date.now())));
      return 'slept' as const;
    };
    const ended = await advanceDeployment({ store, policy, cwd: repo.dir, later: sleep }, started.deployment.id);
    expect(ended.outcome).toBe('paused');
  });

  afterAll(async () => {
    await store?.close();
    await new Promise((resolve) => health?.close(resolve));
    repo?.cleanup();
    temp?.cleanup();
  });

  it('shows the deployment row, the analysis measurements with their value and threshold, and why the pipeline paused', async () => {
    const { status, text } = await get(lead);
    expect(status).toBe(200);
    const staging = await findDeploy(store, ID, 'staging');
    expect(text).toMatch(new RegExp(`<tr data-deployment="${staging?.id}" data-kind="deploy" data-environment="staging" data-outcome="paused">`));
    expect(text).toMatch(/data-paused="staging"><p>The pipeline paused in staging \(deployment #\d+\), .*the analysis of deployment #\d+ was inconclusive/);
    const analysis = text.slice(text.indexOf(`data-analysis="${staging?.id}"`));
    expect(analysis).toMatch(/data-phase="inconclusive"/);
    // The health check: measured 200 against the expected 200, at the URL, with the time.
    expect(analysis).toMatch(new RegExp(`<tr data-metric="health" data-verdict="successful"><td>1</td><th scope="row">health</th><td><span class="verdict successful">successful</span></td><td>200</td><td>200</td><td><code>${healthUrl.replace(/\./g, '\\.')}</code></td><td><time datetime="`));
    // Prometheus is down: no value, inconclusive, never a pass.
    expect(analysis).toMatch(/<tr data-metric="error-rate" data-verdict="(inconclusive|error)"><td>1<\/td><th scope="row">error-rate<\/th><td><span class="verdict \w+">\w+<\/span><\/td><td>—<\/td><td>0\.05<\/td><td><code>sum\(rate\(errors\[1m\]\)\)<\/code>/);
    // Nothing waits for a soak while staging is paused.
    expect(text).not.toContain('data-soak=');
  });

  it('counts down to the end of the soak once staging passed, in the policy\'s zone', async () => {
    const { policy } = await serverPolicy({ cwd: repo.dir });
    await resumePipeline({ store, policy, ref: ID, environment: 'staging', reason: 'Prometheus was down for maintenance', actor: PEOPLE.lead });
    const staging = await findDeploy(store, ID, 'staging');
    // By hand: the staging rollout plus the 5h soak; the page is looked at 48 minutes into it.
    const rolledOut = Date.parse(staging?.rolledOutAt ?? '');
    const ends = new Date(rolledOut + 5 * 3_600_000);
    clock = new Date(rolledOut + 48 * 60_000);
    const { text } = await get(lead);
    const local = DateTime.fromJSDate(ends, { zone: policy.timezone }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
    expect(text).toContain(`<p class="soak" data-soak="production" data-ends="${ends.toISOString()}">production may deploy at <time datetime="${ends.toISOString()}">${local}</time> (in <span data-countdown="${ends.toISOString()}">4 h 12 min</span>), when the soak in staging ends</p>`);
    expect(text).not.toContain('data-paused=');
  });

  it('offers the rollback form to a tech lead only; a forged POST by anyone else is refused with 403 and nothing written; a refusal shows the CLI\'s message', async () => {
    const asLead = await get(lead);
    expect(asLead.text).toContain(`<form method="post" action="${PAGE}/rollback">`);
    expect(asLead.text).toContain('<option value="staging">staging (runs 2.1.0)</option>');
    expect(asLead.text).toContain('<option value="2.0.0"></option>');
    const asReleaser = await get(releaser);
    expect(asReleaser.text).not.toContain('/rollback"');
    expect(asReleaser.text).not.toContain('Roll back');

    const before = { rows: await listDeployments(store, { component: 'billing' }), events: (await listEvents(store, ID)).length };
    const forged = await post(releaser, { environment: 'staging', to: '2.0.0', reason: 'forged', force: '1' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain(`${PEOPLE.releaser} may not roll back billing: manual rollbacks are for tech-lead (held by ${PEOPLE.lead}, ${PEOPLE.lead2})`);
    expect(await listDeployments(store, { component: 'billing' })).toEqual(before.rows);
    expect((await listEvents(store, ID)).length).toBe(before.events);
    expect(running()).toBe('2.1.0');

    // The lead asks for what already runs: the page says what `shipgate rollback` says.
    const same = await post(lead, { environment: 'staging', to: '2.1.0', reason: 'oops' });
    expect(same.status).toBe(409);
    const refused = await same.text();
    expect(refused).toContain('staging already runs billing 2.1.0');
    expect(refused).toContain('nothing to roll back');
    expect(await listDeployments(store, { component: 'billing' })).toEqual(before.rows);
  });

  it('in Chromium, a tech lead sees the countdown tick and rolls staging back through the form: a rollback event and a deployments row', async () => {
    const browser = await openBrowser();
    const served = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
    });
    const url = `http://127.0.0.1:${(served.address() as AddressInfo).port}`;
    const page: Page = browser.page;
    try {
      await page.goto(`${url}/sign-in?next=${encodeURIComponent(PAGE)}`);
      await page.getByLabel('API token').fill(lead);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${url}${PAGE}`);
      // The script counts down from the real clock: hours, minutes and seconds.
      const countdown = page.locator('[data-countdown]');
      await expect.poll(async () => countdown.textContent()).toMatch(/^\d+h \d{2}m \d{2}s$/);
      expect(await inspectPage(page, 'dashboard-deploys', 'release-soaking')).toEqual([]);

      await page.getByText('Roll back…').click();
      await page.getByLabel('Environment').selectOption('staging');
      await page.getByLabel(/Version to roll back to/).fill('2.0.0');
      await page.getByLabel('Why (on the record)').fill('invoices are rounded wrong in staging');
      await page.getByRole('button', { name: 'Roll back', exact: true }).click();
      await page.waitForURL(/done=rolled-back/);
      expect(await page.getByRole('status').textContent()).toContain('Your rollback is recorded');
      const row = page.locator('tr[data-kind="rollback"][data-environment="staging"]');
      expect(await row.count()).toBe(1);
      expect(await row.getAttribute('data-outcome')).toBe('succeeded');
      expect(await page.locator('[data-state]').textContent()).toBe('rolled-back');
      expect(await inspectPage(page, 'dashboard-deploys', 'release-rolled-back')).toEqual([]);
      expect(browser.console.filter((line) => /Content Security Policy|pageerror/i.test(line))).toEqual([]);
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => served.close(() => resolve()));
    }
    expect(running()).toBe('2.0.0');
    const rollback = (await listEvents(store, ID)).find((event) => event.data.kind === 'rollback');
    expect(rollback?.actor).toBe(PEOPLE.lead);
    expect(rollback?.data).toMatchObject({ kind: 'rollback', environment: 'staging', from: '2.1.0', to: '2.0.0', automatic: false, reason: 'invoices are rounded wrong in staging' });
    const rows = await listDeployments(store, { releaseId: ID });
    expect(rows.map((row) => [row.kind, row.environment, row.version, row.outcome])).toEqual([
      ['rollback', 'staging', '2.0.0', 'succeeded'],
      ['deploy', 'staging', '2.1.0', 'rolled-back'],
    ]);
  });
});
