import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Policy } from '../src/policy/schema.js';
import { listDeliveries } from '../src/store/deliveries.js';
import { openStore } from '../src/store/open-store.js';
import { listEvents } from '../src/store/releases.js';
import { tearDownAfterEach } from './helpers/child-processes.js';
import { createRepo, gitEnvironment } from './helpers/git-repo.js';
import { channelEnv, expectEveryMessageOnce, notifyPolicyText, plantBillingPlan, repoWithNotifyPolicy, sendJobsDone, storeText } from './helpers/notify-fixtures.js';
import { startReceiver, startSmtp } from './helpers/receivers.js';
import { tempDir } from './helpers/run-cli.js';
import { startServe, type ServeProcess } from './helpers/serve-process.js';
import { storeBackends } from './helpers/stores.js';
import { waitFor } from './helpers/wait-for.js';

const SECRETS = { slackToken: 'T0SERVE/B0SERVE/slack-serve-s3cr3t', hookSecret: 'hook-serve-s3cr3t', smtpPassword: 'smtp-serve-s3cr3t' };

/** A loopback port nothing listens on (yet): a send to it is refused, so it surely did not arrive. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(storeBackends())('the communication plan on shipgate serve processes on $name', (backend) => {
  const { processes: servers, cleanups } = tearDownAfterEach<ServeProcess>();

  /** The monorepo with billing's feature and the policy on main, pushed to an origin; the server's clone of it. */
  function serverClone(text: string): { clone: string; policy: Policy } {
    const { repo: dev, policy } = repoWithNotifyPolicy(text);
    cleanups.push(() => dev.cleanup());
    const origin = createRepo({ bare: true, prefix: 'shipgate-origin-' });
    cleanups.push(() => origin.cleanup());
    dev.git('remote', 'add', 'origin', origin.dir);
    dev.git('push', '--quiet', '--tags', 'origin', 'main');
    const temp = tempDir('shipgate-notify-serve-');
    cleanups.push(() => temp.cleanup());
    const clone = path.join(temp.dir, 'clone');
    execFileSync('git', ['clone', '--quiet', origin.dir, clone], { env: gitEnvironment() });
    return { clone, policy };
  }

  const secretsIn = (text: string) => Object.values(SECRETS).filter((secret) => text.includes(secret));
  const output = (server: ServeProcess) => `${JSON.stringify(server.lines)}${server.stderr}`;

  it('a server killed with SIGKILL after planting the messages, before any got through (the receivers were down): after the restart each arrives exactly once', async () => {
    const { clone, policy } = serverClone(notifyPolicyText(5));
    const ports = { slack: await closedPort(), hook: await closedPort(), smtp: await closedPort() };
    const env = { ...channelEnv(SECRETS, { slack: `http://127.0.0.1:${ports.slack}`, hook: `http://127.0.0.1:${ports.hook}`, smtp: `smtp://releases:${SECRETS.smtpPassword}@127.0.0.1:${ports.smtp}` }), SHIPGATE_JOB_LEASE_MS: '1500' };
    const { location, db } = await backend.fresh();
    const open = await openStore(location);
    cleanups.push(() => open.close());
    // In production by its post-release step, so every step of the plan has messages for it; the
    // steps' times have come (the server plants the real window too, which holds nothing for it).
    await plantBillingPlan(open, policy, 'production', '2026-02-09T00:00', 10);

    const doomed = await startServe(clone, db, env);
    servers.push(doomed);
    // Pre-release: Slack and email; freeze: Slack; release day: the webhook; post-release: Slack and email.
    await waitFor('six messages planted and tried', async () => {
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
    await waitFor('every message sent', async () => (await listDeliveries(open, 'billing@2.1.0')).every((d) => d.state === 'sent'));
    await waitFor('the send jobs done', async () => (await sendJobsDone(open)) === 6);
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });

    // Each message of the plan arrived once; the release-day status's notes were made by the server from its clone's history.
    expectEveryMessageOnce({ slack, hook, smtp }, SECRETS.hookSecret);
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
    const { clone, policy } = serverClone(notifyPolicyText(30, only));
    // Both receivers take the first request and do not answer it: the server is killed while it waits.
    const slack = await startReceiver((nth) => (nth === 1 ? 'hang' : 'ok'));
    const hook = await startReceiver((nth) => (nth === 1 ? 'hang' : 'ok'));
    cleanups.push(() => slack.close(), () => hook.close());
    const env = { ...channelEnv(SECRETS, { slack: slack.url, hook: hook.url }), SHIPGATE_JOB_LEASE_MS: '1500' };
    const { location, db } = await backend.fresh();
    const open = await openStore(location);
    cleanups.push(() => open.close());
    await plantBillingPlan(open, policy, 'staging', '2026-02-16T00:00', 2);

    const doomed = await startServe(clone, db, env);
    servers.push(doomed);
    await waitFor('both sends on their way', () => slack.requests.length === 1 && hook.requests.length === 1);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect((await listDeliveries(open, 'billing@2.1.0')).map((d) => d.state)).toEqual(['sending', 'sending']);

    const survivor = await startServe(clone, db, env);
    servers.push(survivor);
    await waitFor('both settled', async () => (await listDeliveries(open, 'billing@2.1.0')).every((d) => d.state === 'sent' || d.state === 'uncertain'));
    await waitFor('the send jobs done', async () => (await sendJobsDone(open)) === 2);
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
