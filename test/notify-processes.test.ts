import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listDeliveries } from '../src/store/deliveries.js';
import { openStore } from '../src/store/open-store.js';
import { listEvents } from '../src/store/releases.js';
import { startScript, tearDownAfterEach, type ScriptProcess } from './helpers/child-processes.js';
import { channelEnv, expectEveryMessageOnce, notifyPolicyText, plantBillingPlan, repoWithNotifyPolicy, sendJobsDone, storeText } from './helpers/notify-fixtures.js';
import { startReceiver, startSmtp } from './helpers/receivers.js';
import { storeBackends } from './helpers/stores.js';
import { waitFor } from './helpers/wait-for.js';

// The strictest restart: every send claimed and held, none begun, when the process dies. A real
// `shipgate serve` cannot be held there without a test hook in the server, so this runs the same
// handlers (communicationHandlers, as serve's runner has them) in a worker script that can;
// test/notify-serve.test.ts kills real servers (receivers down, and mid-send).
const WORKER = fileURLToPath(new URL('./helpers/notify-worker.mjs', import.meta.url));
const SECRETS = { slackToken: 'T0PROC/B0PROC/slack-proc-s3cr3t', hookSecret: 'hook-proc-s3cr3t', smtpPassword: 'smtp-proc-s3cr3t' };

const startWorker = (db: string, name: string, repo: string, env: Record<string, string>) => startScript(WORKER, [db, name, repo], env);

describe.each(storeBackends())('the communication plan across worker processes on $name', (backend) => {
  const { processes: workers, cleanups } = tearDownAfterEach<ScriptProcess>();

  const secretsIn = (text: string, env: Record<string, string>) => [...Object.values(SECRETS), ...Object.values(env).filter((value) => value.includes('s3cr3t'))].filter((secret) => text.includes(secret));

  it('a worker killed with SIGKILL after planting the messages and before sending them: after the restart each arrives exactly once', async () => {
    const { repo, policy } = repoWithNotifyPolicy(notifyPolicyText(5));
    cleanups.push(() => repo.cleanup());
    const slack = await startReceiver();
    const hook = await startReceiver();
    const smtp = await startSmtp({ user: 'releases', password: SECRETS.smtpPassword });
    cleanups.push(() => slack.close(), () => hook.close(), () => smtp.close());
    const env = { ...channelEnv(SECRETS, { slack: slack.url, hook: hook.url, smtp: smtp.url }), JOB_LEASE_MS: '1500', JOB_POLL_MS: '50' };
    const { location, db } = await backend.fresh();
    const open = await openStore(location);
    cleanups.push(() => open.close());
    // In production by its post-release step, so every step of the plan has messages for it.
    await plantBillingPlan(open, policy, 'production', '2026-02-09T00:00', 10);

    // Room for all six sends at once, so every one of them is claimed (attempt 1) when the worker dies.
    const doomed = startWorker(db, 'doomed', repo.dir, { ...env, NOTIFY_HOLD: '1', JOB_CONCURRENCY: '12' });
    workers.push(doomed);
    // Pre-release: Slack and email; freeze: Slack; release day: the webhook; post-release: Slack and email.
    await waitFor('the six messages planted', async () => (await listDeliveries(open, 'billing@2.1.0')).length === 6);
    await waitFor('the doomed worker holding all six sends', () => doomed.stdout.split('holding notify:').length - 1 === 6);
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    expect((await listDeliveries(open, 'billing@2.1.0')).map((d) => d.state)).toEqual(Array(6).fill('planned'));
    expect([slack.requests.length, hook.requests.length, smtp.mails.length]).toEqual([0, 0, 0]);

    const survivor = startWorker(db, 'survivor', repo.dir, env);
    workers.push(survivor);
    await waitFor('every message sent', async () => (await listDeliveries(open, 'billing@2.1.0')).every((d) => d.state === 'sent'));
    await waitFor('the send jobs done', async () => (await sendJobsDone(open)) === 6);
    survivor.child.kill('SIGTERM');
    expect((await survivor.exited).code).toBe(0);

    // Each message of the plan arrived once; the release-day status's notes were made by the worker from the repository's history.
    expectEveryMessageOnce({ slack, hook, smtp }, SECRETS.hookSecret);
    const sent = (await listEvents(open, 'billing@2.1.0')).filter((e) => e.data.kind === 'message');
    expect(sent.map((e) => e.data.kind === 'message' && [e.data.outcome, e.data.attempt])).toEqual(Array(6).fill(['sent', 2]));
    expect(secretsIn(`${doomed.stdout}${doomed.stderr}${survivor.stdout}${survivor.stderr}${await storeText(open)}`, env)).toEqual([]);
  }, 120_000);
});
