import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { BRANCH_LOCK, NOTIFY_SEND, type NotifyDeps } from '../src/app/notify-deps.js';
import { communicationHandlers } from '../src/app/notify-handlers.js';
import { notifyStepDue } from '../src/app/notify-step.js';
import { plantTimeline } from '../src/app/plant-timeline.js';
import { findJob, listJobs } from '../src/jobs/job-store.js';
import { startJobRunner, type JobRunner, type RunnerLog } from '../src/jobs/run-jobs.js';
import { builtinPolicy } from '../src/policy/parse-policy.js';
import type { Policy } from '../src/policy/schema.js';
import { listDeliveries } from '../src/store/deliveries.js';
import type { Store } from '../src/store/open-store.js';
import { createRelease, listEvents, type NewRelease } from '../src/store/releases.js';
import { signatureValid, startReceiver, startSmtp, type ReceivedRequest, type TestReceiver } from './helpers/receivers.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const la = (local: string) => DateTime.fromISO(local, { zone: 'America/Los_Angeles' }).toJSDate();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 86_400_000;

const SECRETS = { slackToken: 'T0SLACK/B0HOOK/slack-token-s3cr3t', hookSecret: 'hook-hmac-s3cr3t', smtpPassword: 'smtp-pa55-s3cr3t', githubToken: 'ghp_github-s3cr3t-token' };

const basePolicy = builtinPolicy();
/** The built-in communication plan, with the policy naming where each channel goes. */
const policy: Policy = {
  ...basePolicy,
  channels: {
    engineering: { slack: { webhookEnv: 'SLACK_ENGINEERING_URL' } },
    // Status updates on release day go to a webhook that fails twice, the status page to one that hangs once.
    releases: { webhook: { urlEnv: 'RELEASES_HOOK_URL', secretEnv: 'RELEASES_HOOK_SECRET' } },
    'status-page': { webhook: { urlEnv: 'STATUS_HOOK_URL', secretEnv: 'RELEASES_HOOK_SECRET' } },
    stakeholders: { email: { to: ['cto@example.com', 'pm@example.com'], cc: [] } },
    customers: { email: { to: ['customers@example.com'], cc: [] } },
  },
  notify: { ...basePolicy.notify, email: { from: 'Releases <releases@example.com>', smtpUrlEnv: 'SHIPGATE_SMTP_URL' }, timeoutSeconds: 1, maxAttempts: 5 },
};

const release = (component: string, version: string, state: NewRelease['state'], trainDate: string): NewRelease => ({
  component,
  kind: 'module',
  path: `modules/${component}`,
  version,
  tag: `${component}/v${version}`,
  lastTag: null,
  bump: 'minor',
  type: 'scheduled',
  breaking: false,
  state,
  trainDate,
  commit: 'a'.repeat(40),
  createdBy: 'rel@example.com',
});
const created = { kind: 'created' as const, commit: 'a'.repeat(40), reasons: ['feat: x -> minor'], commits: [] };

/** Everything the store holds, as text: where a leaked secret would be. */
async function storeText(store: Store): Promise<string> {
  const tables = ['jobs', 'deliveries', 'release_events', 'releases'];
  const rows = await Promise.all(tables.map(async (table) => (await sql`SELECT * FROM ${sql.table(table)}`.execute(store.db)).rows));
  return JSON.stringify(rows);
}

function expectNoSecret(text: string, env: Record<string, string>) {
  for (const value of [...Object.values(SECRETS), env.SLACK_ENGINEERING_URL, env.RELEASES_HOOK_URL, env.SHIPGATE_SMTP_URL]) {
    if (value !== undefined) expect(text).not.toContain(value);
  }
}

describe.each(storeBackends())('the communication plan sent as jobs on $name', (backend) => {
  let store: Store | undefined;
  let runner: JobRunner | undefined;
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await runner?.stop();
    await store?.close();
    await Promise.all(servers.map((server) => server.close()));
    servers.length = 0;
    runner = undefined;
    store = undefined;
  });

  const receivers = async () => {
    const slack = await startReceiver();
    // Per message: two 500s, then 200.
    const flaky = await startReceiver((nth) => (nth <= 2 ? 'fail' : 'ok'));
    // Per message: the first request is never answered, the next one is.
    const hanging = await startReceiver((nth) => (nth === 1 ? 'hang' : 'ok'));
    const smtp = await startSmtp({ user: 'releases', password: SECRETS.smtpPassword });
    servers.push(slack, flaky, hanging, smtp);
    const env = {
      SLACK_ENGINEERING_URL: `${slack.url}/services/${SECRETS.slackToken}`,
      RELEASES_HOOK_URL: `${flaky.url}/hooks/releases`,
      STATUS_HOOK_URL: `${hanging.url}/hooks/status`,
      RELEASES_HOOK_SECRET: SECRETS.hookSecret,
      SHIPGATE_SMTP_URL: smtp.url,
    };
    return { slack, flaky, hanging, smtp, env };
  };

  const runUntil = async (open: Store, deps: NotifyDeps, done: () => Promise<boolean>, logs: RunnerLog[]) => {
    runner = startJobRunner({ store: open, handlers: communicationHandlers(deps), pollMs: 20, backoff: { baseMs: 100, capMs: 400 }, log: (entry) => logs.push(entry) });
    for (let wait = 0; !(await done()); wait += 1) {
      if (wait > 1500) throw new Error(`the jobs did not settle: ${JSON.stringify((await listJobs(open)).jobs.map((job) => [job.key, job.state, job.lastError]))}`);
      await sleep(20);
    }
    await runner.stop();
    runner = undefined;
  };

  it('sends each message of each release once: by Slack, signed webhooks (one failing twice, one hanging past the timeout) and SMTP email, all in the releases\' history', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const { slack, flaky, hanging, smtp, env } = await receivers();
    await createRelease(open, release('billing', '2.1.0', 'candidate', '2026-02-17'), created);
    // Already in production when its post-release step comes: it gets the announcement and the customer email.
    await createRelease(open, release('inventory', '1.9.0', 'production', '2026-02-17'), created);
    await createRelease(open, release('ledger', '0.4.0', 'abandoned', '2026-02-17'), created);
    const deps: NotifyDeps = { store: open, policy, env, notes: async (r) => `### Features\n- what ${r.id} brings` };
    // The steps of the module release of 2026-02-17, long due by the database's clock.
    await plantTimeline({ store: open, policy, now: la('2026-02-09T00:00'), windowMs: 10 * DAY });
    const logs: RunnerLog[] = [];
    const settled = async () => {
      const { jobs } = await listJobs(open, { limit: 1000 });
      return jobs.length > 0 && jobs.every((job) => job.state === 'done' || job.state === 'dead') && jobs.some((job) => job.kind === NOTIFY_SEND);
    };
    await runUntil(open, deps, settled, logs);

    expect((await listJobs(open, { state: 'dead' })).jobs).toEqual([]);
    // Slack: the notice and the freeze reminder for both live releases, the announcement for the shipped one.
    const posts = slack.requests.map((request) => (JSON.parse(request.body) as { text: string }).text.split('\n')[0]).sort();
    expect(posts).toEqual([
      '*Code freeze: billing v2.1.0*',
      '*Code freeze: inventory v1.9.0*',
      '*billing v2.1.0 ships on 2026-02-17*',
      '*inventory v1.9.0 is released*',
      '*inventory v1.9.0 ships on 2026-02-17*',
    ]);
    expect(slack.requests.every((request) => request.path === `/services/${SECRETS.slackToken}`)).toBe(true);
    expect(JSON.parse(slack.requests.find((r) => r.body.includes('is released'))!.body).text).toContain('### Features\n- what inventory@1.9.0 brings');

    // The flaky webhook: three tries per message, the same delivery id and the same signed bytes each time.
    const byDelivery = (receiver: TestReceiver) => {
      const groups = new Map<string, ReceivedRequest[]>();
      for (const request of receiver.requests) groups.set(String(request.headers['x-shipgate-delivery']), [...(groups.get(String(request.headers['x-shipgate-delivery'])) ?? []), request]);
      return groups;
    };
    const flakyGroups = byDelivery(flaky);
    expect(flakyGroups.size).toBe(2);
    for (const tries of flakyGroups.values()) {
      expect(tries.map((t) => t.answer)).toEqual(['fail', 'fail', 'ok']);
      expect(new Set(tries.map((t) => t.body)).size).toBe(1);
      expect(tries.every((t) => signatureValid(t, SECRETS.hookSecret))).toBe(true);
    }
    expect(flaky.accepted()).toHaveLength(2);
    expect(JSON.parse(flaky.accepted()[0]!.body)).toMatchObject({ step: 'release-day', channel: '#releases', subject: expect.stringMatching(/^Releasing (billing v2\.1\.0|inventory v1\.9\.0)$/) });
    // A tampered body or another secret does not verify.
    expect(signatureValid({ ...flaky.requests[0]!, body: `${flaky.requests[0]!.body} ` }, SECRETS.hookSecret)).toBe(false);
    // The hanging webhook: the first try timed out, the second arrived, with the same id.
    for (const tries of byDelivery(hanging).values()) expect(tries.map((t) => t.answer)).toEqual(['hang', 'ok']);
    expect(hanging.accepted()).toHaveLength(2);

    // Email: the notice to the stakeholders for both, the customer notification for the shipped one; once each.
    expect(smtp.mails.map((mail) => [mail.subject, mail.to.join(',')]).sort()).toEqual([
      ['billing v2.1.0 ships on 2026-02-17', 'cto@example.com,pm@example.com'],
      ['inventory v1.9.0 is released', 'customers@example.com'],
      ['inventory v1.9.0 ships on 2026-02-17', 'cto@example.com,pm@example.com'],
    ]);
    expect(smtp.mails.every((mail) => mail.user === 'releases' && mail.from === 'releases@example.com')).toBe(true);
    const deliveries = [...(await listDeliveries(open, 'billing@2.1.0')), ...(await listDeliveries(open, 'inventory@1.9.0'))];
    expect(smtp.mails.map((mail) => mail.messageId).sort()).toEqual(deliveries.filter((d) => d.target.kind === 'email').map((d) => `<${d.id}@shipgate>`).sort());
    expect(deliveries.map((d) => d.state)).toEqual(deliveries.map(() => 'sent'));
    expect(await listDeliveries(open, 'ledger@0.4.0')).toEqual([]);

    // Every try is in the release's history.
    const history = (await listEvents(open, 'billing@2.1.0')).flatMap((event) => (event.data.kind === 'message' ? [[event.data.step, event.data.channel, event.data.outcome, event.data.attempt, event.data.retry]] : []));
    expect(history.sort()).toEqual(
      [
        ['code-freeze-reminder', '#engineering', 'sent', 1, false],
        ['pre-release-notice', '#engineering', 'sent', 1, false],
        ['pre-release-notice', 'email:stakeholders', 'sent', 1, false],
        ['release-day', '#releases', 'failed', 1, true],
        ['release-day', '#releases', 'failed', 2, true],
        ['release-day', '#releases', 'sent', 3, false],
        ['release-day', 'status-page', 'failed', 1, true],
        ['release-day', 'status-page', 'sent', 2, false],
      ].sort(),
    );
    const events = await listEvents(open, 'billing@2.1.0');
    const timedOut = events.find((event) => event.data.kind === 'message' && event.data.channel === 'status-page' && event.data.outcome === 'failed');
    expect(timedOut?.data).toMatchObject({ detail: 'the status-page webhook in $STATUS_HOOK_URL did not answer within 1 s; it may have arrived' });
    const refused = events.find((event) => event.data.kind === 'message' && event.data.channel === '#releases' && event.data.outcome === 'failed');
    expect(refused?.data).toMatchObject({ detail: 'the releases webhook in $RELEASES_HOOK_URL answered 500: the receiver is having a bad day' });
    // The post-release step skipped billing, which was not in production yet.
    expect((await findJob(open, 'timeline:module:2026-02-17:communication:post-release'))?.result).toMatchObject({ outcome: { skipped: [{ release: 'ledger@0.4.0', why: 'it is abandoned' }, { release: 'billing@2.1.0', why: 'it is candidate, not in production' }] } });

    // A step that runs again plants nothing new; nothing is sent twice.
    const again = await notifyStepDue(deps)((await findJob(open, 'timeline:module:2026-02-17:communication:pre-release-notice'))!.payload as never);
    expect(again.messages).toBe(0);
    expectNoSecret(await storeText(open), env);
    expectNoSecret(JSON.stringify(logs), env);
  }, 120_000);

  it('does not post to Slack again after a post that may have gone through, and says so in the history', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const slack = await startReceiver(() => 'hang');
    servers.push(slack);
    const env = { SLACK_ENGINEERING_URL: `${slack.url}/services/${SECRETS.slackToken}` };
    const only: Policy = { ...policy, channels: { engineering: policy.channels.engineering! }, communication: [policy.communication[1]!].map((step) => ({ ...step, actions: [step.actions[0]!] })) };
    await createRelease(open, release('billing', '2.1.0', 'candidate', '2026-02-17'), created);
    await plantTimeline({ store: open, policy: only, now: la('2026-02-15T00:00'), windowMs: DAY });
    const logs: RunnerLog[] = [];
    await runUntil(open, { store: open, policy: only, env }, async () => (await listDeliveries(open, 'billing@2.1.0'))[0]?.state === 'uncertain' && (await findJob(open, 'notify:billing@2.1.0:code-freeze-reminder:#engineering'))?.state === 'done', logs);
    expect(slack.requests).toHaveLength(1);
    const [event] = (await listEvents(open, 'billing@2.1.0')).filter((e) => e.data.kind === 'message');
    expect(event?.data).toMatchObject({ outcome: 'uncertain', attempt: 1, retry: false, detail: 'the Slack webhook in $SLACK_ENGINEERING_URL did not answer within 1 s; it may have arrived; #engineering cannot tell a repeat, so it is not sent again: check there' });
    expectNoSecret(await storeText(open), env);
  }, 60_000);

  it('locks the release branch on GitHub (a local stand-in for its API) at the freeze and lifts the lock at its end, with the token only in the request', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    const github = await startReceiver();
    servers.push(github);
    // A daily train in UTC, so that a freeze is on whenever the test runs: the release is tomorrow.
    const now = new Date();
    const tomorrow = new Date(now.getTime() + DAY).toISOString().slice(0, 10);
    const daily: Policy = {
      ...policy,
      timezone: 'UTC',
      channels: {},
      trains: { module: { ...policy.trains.module!, cadence: { rrule: 'FREQ=DAILY', start: '2026-01-01T23:59' } }, platform: { ...policy.trains.platform!, enabled: false }, product: { ...policy.trains.product!, enabled: false } },
      freeze: { ...policy.freeze, github: { repository: 'acme/app', tokenEnv: 'GITHUB_TOKEN', apiUrl: `${github.url}/api/v3` } },
    };
    await createRelease(open, release('billing', '2.1.0', 'candidate', tomorrow), created);
    await plantTimeline({ store: open, policy: daily, now: new Date(now.getTime() - 3 * DAY), windowMs: 6 * DAY });
    const env = { GITHUB_TOKEN: SECRETS.githubToken };
    const deps: NotifyDeps = { store: open, policy: daily, env };
    const lockDone = async (key: string) => (await findJob(open, key))?.state === 'done';
    const logs: RunnerLog[] = [];
    await runUntil(open, deps, () => lockDone('branch-lock:billing@2.1.0:lock'), logs);
    expect(github.requests.map((r) => [r.method, r.path])).toEqual([['PUT', '/api/v3/repos/acme/app/branches/release%2Fv2.1.0/protection']]);
    expect(github.requests[0]?.headers.authorization).toBe(`Bearer ${SECRETS.githubToken}`);
    expect(JSON.parse(github.requests[0]!.body)).toMatchObject({ lock_branch: true, enforce_admins: true });
    // The freeze ends with the release: its step comes due (moved to now here), and the lock is lifted.
    await sql`UPDATE jobs SET run_at = ${new Date(0).toISOString()} WHERE key = ${`timeline:module:${tomorrow}:freeze-end`}`.execute(open.db);
    await runUntil(open, deps, () => lockDone('branch-lock:billing@2.1.0:unlock'), logs);
    expect(github.requests.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
    const locks = (await listEvents(open, 'billing@2.1.0')).flatMap((e) => (e.data.kind === 'branch-lock' ? [[e.data.branch, e.data.locked, e.data.outcome]] : []));
    expect(locks).toEqual([['release/v2.1.0', true, 'done'], ['release/v2.1.0', false, 'done']]);
    expect((await listJobs(open)).jobs.filter((job) => job.kind === BRANCH_LOCK)).toHaveLength(2);
    expectNoSecret(await storeText(open), env);
    expectNoSecret(JSON.stringify(logs), env);
  }, 60_000);
});
