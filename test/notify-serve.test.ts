import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { plantTimeline } from '../src/app/plant-timeline.js';
import { parsePolicyText } from '../src/policy/parse-policy.js';
import type { Policy } from '../src/policy/schema.js';
import { listDeliveries } from '../src/store/deliveries.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { createRelease, listEvents } from '../src/store/releases.js';
import { createRepo, gitEnvironment } from './helpers/git-repo.js';
import { createMonorepo } from './helpers/monorepo.js';
import { signatureValid, startReceiver, startSmtp } from './helpers/receivers.js';
import { tempDir } from './helpers/run-cli.js';
import { startServe, type ServeProcess } from './helpers/serve-process.js';
import { storeBackends } from './helpers/stores.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const la = (local: string) => DateTime.fromISO(local, { zone: 'America/Los_Angeles' }).toJSDate();
const DAY = 86_400_000;
const SECRETS = { slackToken: 'T0SERVE/B0SERVE/slack-serve-s3cr3t', hookSecret: 'hook-serve-s3cr3t', smtpPassword: 'smtp-serve-s3cr3t' };

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A loopback port nothing listens on (yet): a send to it is refused, so it surely did not arrive. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const POLICY = (timeoutSeconds: number, extra: string[] = []) =>
  [
    'channels:',
    '  engineering: { slack: { webhookEnv: SLACK_ENGINEERING_URL } }',
    '  releases: { webhook: { urlEnv: RELEASES_HOOK_URL, secretEnv: RELEASES_HOOK_SECRET } }',
    '  stakeholders: { email: { to: [cto@example.com] } }',
    '  customers: { email: { to: [customers@example.com] } }',
    'notify:',
    '  email: { from: "Releases <releases@example.com>", smtpUrlEnv: SHIPGATE_SMTP_URL }',
    `  timeoutSeconds: ${timeoutSeconds}`,
    '  maxAttempts: 5',
    ...extra,
    '',
  ].join('\n');

describe.each(storeBackends())('the communication plan on shipgate serve processes on $name', (backend) => {
  let store: Store | undefined;
  const servers: ServeProcess[] = [];
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exited));
    servers.length = 0;
    await store?.close();
    store = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** The monorepo with billing's feature and the policy on main, pushed to an origin; the server's clone of it. */
  function serverClone(text: string): { clone: string; policy: Policy } {
    const dev = createMonorepo();
    cleanups.push(() => dev.cleanup());
    dev.commit('feat(billing): recurring invoices', { 'modules/billing/src/recurring.ts': 'export const recurring = true;\n', 'shipgate.yaml': text });
    const origin = createRepo({ bare: true, prefix: 'shipgate-origin-' });
    cleanups.push(() => origin.cleanup());
    dev.git('remote', 'add', 'origin', origin.dir);
    dev.git('push', '--quiet', '--tags', 'origin', 'main');
    const temp = tempDir('shipgate-notify-serve-');
    cleanups.push(() => temp.cleanup());
    const clone = path.join(temp.dir, 'clone');
    execFileSync('git', ['clone', '--quiet', origin.dir, clone], { env: gitEnvironment() });
    const { policy, problems } = parsePolicyText(text, 'shipgate.yaml');
    if (policy === undefined) throw new Error(JSON.stringify(problems));
    return { clone, policy };
  }

  const release = { component: 'billing', kind: 'module', path: 'modules/billing', version: '2.1.0', tag: 'billing/v2.1.0', lastTag: 'billing/v2.0.0', bump: 'minor' as const, type: 'scheduled' as const, breaking: false, trainDate: '2026-02-17', commit: 'a'.repeat(40), createdBy: 'rel@example.com' };
  const created = { kind: 'created' as const, commit: 'a'.repeat(40), reasons: ['feat: recurring invoices -> minor'], commits: [] };
  const sendJobsDone = async (open: Store, n: number) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM jobs WHERE kind = 'notify-send' AND state = 'done'`.execute(open.db)).rows[0]?.n) === n;
  const storeText = async (open: Store) => JSON.stringify(await Promise.all(['jobs', 'deliveries', 'release_events'].map(async (table) => (await sql`SELECT * FROM ${sql.table(table)}`.execute(open.db)).rows)));
  const secretsIn = (text: string) => Object.values(SECRETS).filter((secret) => text.includes(secret));
  const output = (server: ServeProcess) => `${JSON.stringify(server.lines)}${server.stderr}`;

  it('a server killed with SIGKILL after planting the messages, before any got through (the receivers were down): after the restart each arrives exactly once', async () => {
    const { clone, policy } = serverClone(POLICY(5));
    const ports = { slack: await closedPort(), hook: await closedPort(), smtp: await closedPort() };
    const env = {
      SLACK_ENGINEERING_URL: `http://127.0.0.1:${ports.slack}/services/${SECRETS.slackToken}`,
      RELEASES_HOOK_URL: `http://127.0.0.1:${ports.hook}/hook`,
      RELEASES_HOOK_SECRET: SECRETS.hookSecret,
      SHIPGATE_SMTP_URL: `smtp://releases:${SECRETS.smtpPassword}@127.0.0.1:${ports.smtp}`,
      SHIPGATE_JOB_LEASE_MS: '1500',
    };
    const { location, db } = await backend.fresh();
    store = await openStore(location);
    const open = store;
    // In production by its post-release step, so every step of the plan has messages for it; the
    // steps' times have come (the server plants the real window too, which holds nothing for it).
    await createRelease(open, { ...release, state: 'production' }, created);
    await plantTimeline({ store: open, policy, now: la('2026-02-09T00:00'), windowMs: 10 * DAY });

    const doomed = await startServe(clone, db, env);
    servers.push(doomed);
    // Pre-release: Slack and email; freeze: Slack; release day: the webhook; post-release: Slack and email.
    await until('six messages planted and tried', async () => {
      const deliveries = await listDeliveries(open, 'billing@2.1.0');
      return deliveries.length === 6 && deliveries.every((d) => d.state === 'failed' && d.attempts >= 1);
    });
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    // Refused connections: surely not sent, so sent again (not "uncertain") by whichever server runs next.
    expect((await listDeliveries(open, 'billing@2.1.0')).map((d) => d.lastError)).toEqual(Array(6).fill(expect.not.stringMatching(/may have arrived/)));

    const slack = await startReceiver(() => 'ok', { port: ports.slack });
    const hook = await startReceiver(() => 'ok', { port: ports.hook });
    const smtp = await startSmtp({ user: 'releases', password: SECRETS.smtpPassword, port: ports.smtp });
    cleanups.push(() => slack.close(), () => hook.close(), () => smtp.close());
    const survivor = await startServe(clone, db, env);
    servers.push(survivor);
    await until('every message sent', async () => (await listDeliveries(open, 'billing@2.1.0')).every((d) => d.state === 'sent'));
    await until('the send jobs done', () => sendJobsDone(open, 6));
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });

    expect(slack.requests.map((r) => (JSON.parse(r.body) as { text: string }).text.split('\n')[0]).sort()).toEqual(['*Code freeze: billing v2.1.0*', '*billing v2.1.0 is released*', '*billing v2.1.0 ships on 2026-02-17*']);
    expect(smtp.mails.map((mail) => [mail.subject, mail.to.join(',')]).sort()).toEqual([
      ['billing v2.1.0 is released', 'customers@example.com'],
      ['billing v2.1.0 ships on 2026-02-17', 'cto@example.com'],
    ]);
    expect(hook.requests).toHaveLength(1);
    expect(signatureValid(hook.requests[0]!, SECRETS.hookSecret)).toBe(true);
    // The release-day status carries the notes, made by the server from its clone's history.
    expect((JSON.parse(hook.requests[0]!.body) as { text: string }).text).toMatch(/^billing v2\.1\.0 is being released now \(2026-02-17 10:00, America\/Los_Angeles\)\.\n\n## Billing v2\.1\.0\n\n\*\*Release Date:\*\* 2026-02-17\n[\s\S]*Recurring invoices/);
    const events = await listEvents(open, 'billing@2.1.0');
    const sent = events.flatMap((e) => (e.data.kind === 'message' && e.data.outcome === 'sent' ? [e.data.channel] : []));
    expect(sent.sort()).toEqual(['#engineering', '#engineering', '#engineering', '#releases', 'email:customers', 'email:stakeholders']);
    // The one place: each due step is in the history too, once.
    const due = events.flatMap((e) => (e.data.kind === 'step-due' ? [e.data.key] : []));
    expect(due.length).toBe(new Set(due).size);
    expect(secretsIn(`${output(doomed)}${output(survivor)}${await storeText(open)}`)).toEqual([]);
  }, 120_000);

  it('a server killed with SIGKILL in the middle of sending: the webhook gets the same delivery id again, Slack is not posted twice', async () => {
    const only = ['communication:', '  - { id: release-day, at: release, title: Release day, actions: [{ channel: "#engineering", message: Status }, { channel: "#releases", message: Status }] }'];
    const { clone, policy } = serverClone(POLICY(30, only));
    // Both receivers take the first request and do not answer it: the server is killed while it waits.
    const slack = await startReceiver((nth) => (nth === 1 ? 'hang' : 'ok'));
    const hook = await startReceiver((nth) => (nth === 1 ? 'hang' : 'ok'));
    cleanups.push(() => slack.close(), () => hook.close());
    const env = { SLACK_ENGINEERING_URL: `${slack.url}/services/${SECRETS.slackToken}`, RELEASES_HOOK_URL: `${hook.url}/hook`, RELEASES_HOOK_SECRET: SECRETS.hookSecret, SHIPGATE_JOB_LEASE_MS: '1500' };
    const { location, db } = await backend.fresh();
    store = await openStore(location);
    const open = store;
    await createRelease(open, { ...release, state: 'staging' }, created);
    await plantTimeline({ store: open, policy, now: la('2026-02-16T00:00'), windowMs: 2 * DAY });

    const doomed = await startServe(clone, db, env);
    servers.push(doomed);
    await until('both sends on their way', () => slack.requests.length === 1 && hook.requests.length === 1);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect((await listDeliveries(open, 'billing@2.1.0')).map((d) => d.state)).toEqual(['sending', 'sending']);

    const survivor = await startServe(clone, db, env);
    servers.push(survivor);
    await until('both settled', async () => (await listDeliveries(open, 'billing@2.1.0')).every((d) => d.state === 'sent' || d.state === 'uncertain'));
    await until('the send jobs done', () => sendJobsDone(open, 2));
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });

    const byChannel = new Map((await listDeliveries(open, 'billing@2.1.0')).map((d) => [d.channel, d]));
    // The webhook: sent again with the same id and bytes; a receiver keeping the ids it saw has it once.
    expect(byChannel.get('#releases')?.state).toBe('sent');
    expect(hook.requests.map((r) => r.headers['x-shipgate-delivery'])).toEqual([byChannel.get('#releases')?.id, byChannel.get('#releases')?.id]);
    expect(hook.requests[0]?.body).toBe(hook.requests[1]?.body);
    // Slack cannot tell a repeat: the post is not made again, and a person is told to check.
    expect(slack.requests).toHaveLength(1);
    expect(byChannel.get('#engineering')).toMatchObject({ state: 'uncertain', lastError: expect.stringMatching(/^attempt 1 stopped while sending, so it may have arrived; #engineering cannot tell a repeat/) });
    expect(secretsIn(`${output(doomed)}${output(survivor)}${await storeText(open)}`)).toEqual([]);
  }, 120_000);
});
