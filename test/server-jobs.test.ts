import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { recordStepDue } from '../src/app/record-step-due.js';
import { serverPolicy } from '../src/app/governing-policy.js';
import { plantTimeline } from '../src/app/plant-timeline.js';
import { findJob, listJobs, plantJob } from '../src/jobs/job-store.js';
import { startJobRunner, type JobRunner } from '../src/jobs/run-jobs.js';
import { timelineSteps } from '../src/jobs/timeline-steps.js';
import { policySource } from '../src/server/policy-source.js';
import { pushSignature } from '../src/server/routes/hooks.js';
import { cloneId, serverJobs } from '../src/server/server-jobs.js';
import type { Store } from '../src/store/open-store.js';
import { billingRepo, commitDocs, PEOPLE, POLICY_YAML } from './helpers/gate-fixtures.js';
import { createRepo, gitEnvironment } from './helpers/git-repo.js';
import { tempDir } from './helpers/run-cli.js';
import { serverApp } from './helpers/server-app.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = pino({ level: 'silent' });
const NEW_LEAD = 'newlead@example.com';

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let wait = 0; !(await check()); wait += 1) {
    if (wait > 600) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe.each(storeBackends())('the server\'s jobs on $name', (backend) => {
  const cleanups: (() => void | Promise<void>)[] = [];
  let store: Store | undefined;
  let runner: JobRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
    await store?.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
    runner = undefined;
    store = undefined;
  });

  /** A developer's repository, the origin it pushes to, and the server's own clone of that origin. */
  const clones = () => {
    const dev = billingRepo();
    commitDocs(dev);
    const origin = createRepo({ bare: true, prefix: 'shipgate-origin-' });
    const server = tempDir('shipgate-server-clone-');
    cleanups.push(dev.cleanup, origin.cleanup, server.cleanup);
    dev.git('remote', 'add', 'origin', origin.dir);
    dev.git('push', '--quiet', '--tags', 'origin', 'main');
    const serverDir = path.join(server.dir, 'clone');
    execFileSync('git', ['clone', '--quiet', origin.dir, serverDir], { env: gitEnvironment() });
    return { dev, serverDir };
  };

  it('a signed push webhook makes the clone fetch, and decisions use the freshly fetched main\'s policy', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const { dev, serverDir } = clones();
    const policy = policySource(serverDir);
    const jobs = serverJobs({ store: open, cwd: serverDir, policy, log: quiet });
    const { call, token } = serverApp(open, serverDir, { policy, webhookSecret: 's3cret', onPush: jobs.onPush });
    const [releaser, newLead] = [await token(PEOPLE.releaser), await token(NEW_LEAD)];
    expect((await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } })).status).toBe(201);
    const approve = () => call('POST', '/api/v1/releases/billing@2.1.0/approvals', { token: newLead, body: { role: 'tech-lead' } });
    expect((await approve()).json).toMatchObject({ status: 403, detail: `${NEW_LEAD} is not a member of tech-lead` });

    // Main's policy gains a tech lead; the server has not fetched yet, so it still decides with the old one.
    dev.commit('chore: a new tech lead', { 'shipgate.yaml': POLICY_YAML.replace(`tech-lead: { members: [${PEOPLE.lead}`, `tech-lead: { members: [${NEW_LEAD}, ${PEOPLE.lead}`) });
    dev.git('push', '--quiet', 'origin', 'main');
    expect((await approve()).status).toBe(403);

    const body = JSON.stringify({ ref: 'refs/heads/main', after: dev.git('rev-parse', 'HEAD') });
    const hook = (headers: Record<string, string>) => call('POST', '/api/v1/hooks/push', { raw: body, headers: { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'delivery-1', ...headers } });
    expect((await hook({})).json).toMatchObject({ status: 401, code: 'ESIGNATURE' });
    expect((await hook({ 'X-Hub-Signature-256': pushSignature('wrong', body) })).status).toBe(401);
    expect((await hook({ 'X-Hub-Signature-256': pushSignature('s3cret', `${body} `) })).status).toBe(401);
    expect((await listJobs(open)).jobs).toEqual([]);
    const accepted = await hook({ 'X-Hub-Signature-256': pushSignature('s3cret', body) });
    expect([accepted.status, accepted.json]).toEqual([202, { planted: 1, event: 'push' }]);
    // The same delivery again (a forge retries) plants nothing more.
    expect((await hook({ 'X-Hub-Signature-256': pushSignature('s3cret', body) })).json).toEqual({ planted: 0, event: 'push' });

    // Someone edited the server's checkout: it is not moved, but the fetched origin/main decides all the same.
    const manifest = path.join(serverDir, 'modules/billing/package.json');
    writeFileSync(manifest, '{ "name": "billing", "version": "2.0.0", "private": true }\n');
    runner = startJobRunner({ store: open, handlers: jobs.handlers, pollMs: 20 });
    const key = `git-fetch:${cloneId(serverDir)}:push:delivery-1`;
    await until('the fetch', async () => (await findJob(open, key))?.state === 'done');
    const before = dev.git('rev-parse', 'HEAD~1');
    expect((await findJob(open, key))?.result).toEqual({ fetched: true, branch: 'main', head: before, fastForwarded: false, note: 'the checkout has local changes' });
    const approved = await approve();
    expect([approved.status, approved.json.recorded]).toEqual([200, true]);
    // Once the checkout is clean, the next push moves it to origin's main.
    execFileSync('git', ['checkout', '--quiet', '--', '.'], { cwd: serverDir, env: gitEnvironment() });
    const again = await hook({ 'X-GitHub-Delivery': 'delivery-2', 'X-Hub-Signature-256': pushSignature('s3cret', body) });
    expect(again.json).toEqual({ planted: 1, event: 'push' });
    const second = `git-fetch:${cloneId(serverDir)}:push:delivery-2`;
    await until('the second fetch', async () => (await findJob(open, second))?.state === 'done');
    expect((await findJob(open, second))?.result).toMatchObject({ fastForwarded: true, head: dev.git('rev-parse', 'HEAD') });
    // The fetch plants the new main's timeline at once, and its own next run.
    const planted = (await listJobs(open, { limit: 100 })).jobs.map((job) => job.key);
    expect(planted).toContain(`timeline-plant:main:${dev.git('rev-parse', 'HEAD')}`);
    expect(planted.some((k) => k.startsWith(`git-fetch:${cloneId(serverDir)}:at:`))).toBe(true);
    const shown = await call('GET', '/api/v1/jobs?limit=100', { token: releaser });
    expect((shown.json.jobs as unknown as { key: string; state: string }[]).find((job) => job.key === key)?.state).toBe('done');
  });

  it('a server without a webhook secret refuses the hook, and starting twice plants each interval\'s jobs once', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const { serverDir } = clones();
    const jobs = serverJobs({ store: open, cwd: serverDir, policy: policySource(serverDir), log: quiet });
    const { call } = serverApp(open, serverDir, { onPush: jobs.onPush });
    expect((await call('POST', '/api/v1/hooks/push', { raw: '{}', headers: { 'X-Hub-Signature-256': pushSignature('', '{}') } })).json).toMatchObject({ status: 503, code: 'ENOHOOK' });
    await jobs.start();
    await jobs.start();
    const kinds = (await listJobs(open)).jobs.map((job) => job.kind).sort();
    expect(kinds).toEqual([`git-fetch:${cloneId(serverDir)}`, 'timeline-plant']);
  });

  it('a due timeline step is recorded once in the history of each open release of its train and date, and the outcome is in GET /jobs', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const { serverDir } = clones();
    const { call, token } = serverApp(open, serverDir);
    const releaser = await token(PEOPLE.releaser);
    const created = (await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } })).json as unknown as { trainDate: string };
    const { policy } = await serverPolicy({ cwd: serverDir });
    // The module train's steps of the release's date, planted as if their time had come.
    const steps = timelineSteps(policy, { now: new Date(Date.parse(`${created.trainDate}T00:00:00Z`) - 20 * 86_400_000), windowMs: 40 * 86_400_000 }).filter(
      (step) => step.train === 'module' && step.releaseDate === created.trainDate,
    );
    expect(steps.map((step) => step.step)).toContain('freeze-start');
    for (const step of steps) await plantJob(open, { kind: 'timeline-step', key: step.key, payload: step });
    const jobs = serverJobs({ store: open, cwd: serverDir, policy: policySource(serverDir), log: quiet });
    runner = startJobRunner({ store: open, handlers: jobs.handlers, pollMs: 20 });
    await until('the steps', async () => (await listJobs(open, { state: 'done' })).jobs.length === steps.length);
    const freezeStart = steps.find((step) => step.step === 'freeze-start')!;
    // Run again (a worker that died after recording, before "done"): nothing is appended twice.
    expect(await recordStepDue({ store: open, policy, step: freezeStart })).toEqual({ recorded: [], unchanged: ['billing@2.1.0'] });
    const events = ((await call('GET', '/api/v1/releases/billing@2.1.0', { token: releaser })).json.events as unknown as { actor: string; data: { kind: string; key?: string; title?: string } }[]).filter((event) => event.data.kind === 'step-due');
    expect(events.map((event) => event.data.key).sort()).toEqual(steps.map((step) => step.key).sort());
    expect(events.every((event) => event.actor === 'shipgate')).toBe(true);
    const listed = (await call('GET', '/api/v1/jobs?state=done', { token: releaser })).json.jobs as unknown as { key: string; result: unknown }[];
    expect(listed.find((job) => job.key === freezeStart.key)?.result).toEqual({ step: 'freeze-start', due: freezeStart.at, outcome: { recorded: ['billing@2.1.0'], unchanged: [], messages: 0, locks: 0, skipped: [] } });
    // A release of another train date is not told.
    expect(await recordStepDue({ store: open, policy, step: { ...freezeStart, releaseDate: '2030-01-01', key: 'timeline:module:2030-01-01:freeze-start' } })).toEqual({ recorded: [], unchanged: [] });
  });

  it('the timeline-plant job plants the policy\'s rolling window and its own next run', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const { serverDir } = clones();
    const jobs = serverJobs({ store: open, cwd: serverDir, policy: policySource(serverDir), log: quiet });
    await jobs.start();
    runner = startJobRunner({ store: open, handlers: { 'timeline-plant': jobs.handlers['timeline-plant']! }, pollMs: 20 });
    await until('the planting', async () => (await listJobs(open, { state: 'done' })).jobs.length === 1);
    const { policy } = await serverPolicy({ cwd: serverDir });
    const expected = await plantTimeline({ store: open, policy, windowMs: 30 * 86_400_000 });
    expect(expected.planted).toBe(0);
    const keys = (await listJobs(open, { limit: 500 })).jobs.map((job) => job.key);
    for (const step of expected.steps.slice(0, -1)) expect(keys).toContain(step.key);
    expect(keys.filter((key) => key.startsWith('timeline-plant:at:'))).toHaveLength(2);
  });
});
