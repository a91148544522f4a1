import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { plantTimeline } from '../src/app/plant-timeline.js';
import { parsePolicyText } from '../src/policy/parse-policy.js';
import type { Policy } from '../src/policy/schema.js';
import { listDeliveries } from '../src/store/deliveries.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { createRelease, listEvents } from '../src/store/releases.js';
import { createMonorepo } from './helpers/monorepo.js';
import { signatureValid, startReceiver, startSmtp } from './helpers/receivers.js';
import { storeBackends } from './helpers/stores.js';
import type { TestRepo } from './helpers/git-repo.js';

// The strictest restart: every send claimed and held, none begun, when the process dies. A real
// `shipgate serve` cannot be held there without a test hook in the server, so this runs the same
// handlers (communicationHandlers, as serve's runner has them) in a worker script that can;
// test/notify-serve.test.ts kills real servers (receivers down, and mid-send).
const WORKER = fileURLToPath(new URL('./helpers/notify-worker.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const la = (local: string) => DateTime.fromISO(local, { zone: 'America/Los_Angeles' }).toJSDate();
const DAY = 86_400_000;
const SECRETS = { slackToken: 'T0PROC/B0PROC/slack-proc-s3cr3t', hookSecret: 'hook-proc-s3cr3t', smtpPassword: 'smtp-proc-s3cr3t' };

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(db: string, name: string, repo: string, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [WORKER, db, name, repo], { env: { ...process.env, ...env } });
  const worker: Worker = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))) };
  child.stdout.on('data', (chunk: Buffer) => (worker.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (worker.stderr += chunk.toString()));
  return worker;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const POLICY_CHANNELS = [
  'channels:',
  '  engineering: { slack: { webhookEnv: SLACK_ENGINEERING_URL } }',
  '  releases: { webhook: { urlEnv: RELEASES_HOOK_URL, secretEnv: RELEASES_HOOK_SECRET } }',
  '  stakeholders: { email: { to: [cto@example.com] } }',
  '  customers: { email: { to: [customers@example.com] } }',
  'notify:',
  '  email: { from: "Releases <releases@example.com>", smtpUrlEnv: SHIPGATE_SMTP_URL }',
];

/** The monorepo with a feature for billing 2.1.0 and the policy naming its channels, committed. */
function repoWithPolicy(extra: string[], timeoutSeconds: number): { repo: TestRepo; policy: Policy } {
  const repo = createMonorepo();
  const text = [...POLICY_CHANNELS, `  timeoutSeconds: ${timeoutSeconds}`, '  maxAttempts: 5', ...extra, ''].join('\n');
  repo.commit('feat(billing): recurring invoices', { 'modules/billing/src/recurring.ts': 'export const recurring = true;\n', 'shipgate.yaml': text });
  const { policy, problems } = parsePolicyText(text, 'shipgate.yaml');
  if (policy === undefined) throw new Error(JSON.stringify(problems));
  return { repo, policy };
}

async function storeText(store: Store): Promise<string> {
  const rows = await Promise.all(['jobs', 'deliveries', 'release_events'].map(async (table) => (await sql`SELECT * FROM ${sql.table(table)}`.execute(store.db)).rows));
  return JSON.stringify(rows);
}

describe.each(storeBackends())('the communication plan across worker processes on $name', (backend) => {
  let store: Store | undefined;
  const workers: Worker[] = [];
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    workers.length = 0;
    await store?.close();
    store = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  const release = { component: 'billing', kind: 'module', path: 'modules/billing', version: '2.1.0', tag: 'billing/v2.1.0', lastTag: 'billing/v2.0.0', bump: 'minor' as const, type: 'scheduled' as const, breaking: false, trainDate: '2026-02-17', commit: 'a'.repeat(40), createdBy: 'rel@example.com' };
  const created = { kind: 'created' as const, commit: 'a'.repeat(40), reasons: ['feat: recurring invoices -> minor'], commits: [] };
  const secretsIn = (text: string, env: Record<string, string>) => [...Object.values(SECRETS), ...Object.values(env).filter((value) => value.includes('s3cr3t'))].filter((secret) => text.includes(secret));

  it('a worker killed with SIGKILL after planting the messages and before sending them: after the restart each arrives exactly once', async () => {
    const { repo, policy } = repoWithPolicy([], 5);
    cleanups.push(() => repo.cleanup());
    const slack = await startReceiver();
    const hook = await startReceiver();
    const smtp = await startSmtp({ user: 'releases', password: SECRETS.smtpPassword });
    cleanups.push(() => slack.close(), () => hook.close(), () => smtp.close());
    const env = {
      SLACK_ENGINEERING_URL: `${slack.url}/services/${SECRETS.slackToken}`,
      RELEASES_HOOK_URL: `${hook.url}/hook`,
      RELEASES_HOOK_SECRET: SECRETS.hookSecret,
      SHIPGATE_SMTP_URL: smtp.url,
      JOB_LEASE_MS: '1500',
      JOB_POLL_MS: '50',
    };
    const { location, db } = await backend.fresh();
    store = await openStore(location);
    const open = store;
    // In production by its post-release step, so every step of the plan has messages for it.
    await createRelease(open, { ...release, state: 'production' }, created);
    await plantTimeline({ store: open, policy, now: la('2026-02-09T00:00'), windowMs: 10 * DAY });

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
    await waitFor('the send jobs done', async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM jobs WHERE kind = 'notify-send' AND state = 'done'`.execute(open.db)).rows[0]?.n) === 6);
    survivor.child.kill('SIGTERM');
    expect((await survivor.exited).code).toBe(0);

    expect(slack.requests.map((r) => (JSON.parse(r.body) as { text: string }).text.split('\n')[0]).sort()).toEqual(['*Code freeze: billing v2.1.0*', '*billing v2.1.0 is released*', '*billing v2.1.0 ships on 2026-02-17*']);
    expect(smtp.mails.map((mail) => [mail.subject, mail.to.join(',')]).sort()).toEqual([
      ['billing v2.1.0 is released', 'customers@example.com'],
      ['billing v2.1.0 ships on 2026-02-17', 'cto@example.com'],
    ]);
    expect(hook.requests).toHaveLength(1);
    expect(signatureValid(hook.requests[0]!, SECRETS.hookSecret)).toBe(true);
    // The release-day status carries the notes, made from the repository's history by the worker.
    const status = JSON.parse(hook.requests[0]!.body) as { text: string };
    expect(status.text).toMatch(/^billing v2\.1\.0 is being released now \(2026-02-17 10:00, America\/Los_Angeles\)\.\n\n## Billing v2\.1\.0\n\n\*\*Release Date:\*\* 2026-02-17\n[\s\S]*Recurring invoices/);
    const sent = (await listEvents(open, 'billing@2.1.0')).filter((e) => e.data.kind === 'message');
    expect(sent.map((e) => e.data.kind === 'message' && [e.data.outcome, e.data.attempt])).toEqual(Array(6).fill(['sent', 2]));
    expect(secretsIn(`${doomed.stdout}${doomed.stderr}${survivor.stdout}${survivor.stderr}${await storeText(open)}`, env)).toEqual([]);
  }, 120_000);
});
