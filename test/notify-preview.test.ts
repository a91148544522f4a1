import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantTimeline } from '../src/app/plant-timeline.js';
import { stepDue } from '../src/app/step-due.js';
import { findJob } from '../src/jobs/job-store.js';
import type { TimelineStep } from '../src/jobs/timeline-steps.js';
import { parsePolicyText } from '../src/policy/parse-policy.js';
import type { Policy } from '../src/policy/schema.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { createRelease } from '../src/store/releases.js';
import type { TestRepo } from './helpers/git-repo.js';
import { createMonorepo } from './helpers/monorepo.js';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';
import { serverApp } from './helpers/server-app.js';

const la = (local: string) => DateTime.fromISO(local, { zone: 'America/Los_Angeles' }).toJSDate();
// In the environment of every run: none of it may come out of the preview, the API or policy check.
const SECRET_ENV = {
  SLACK_ENGINEERING_URL: 'https://hooks.slack.example/services/T0PRE/B0PRE/slack-preview-s3cr3t',
  RELEASES_HOOK_URL: 'https://hooks.example.com/releases?token=hook-url-s3cr3t',
  RELEASES_HOOK_SECRET: 'hook-preview-s3cr3t',
  SHIPGATE_SMTP_URL: 'smtp://releases:smtp-preview-s3cr3t@127.0.0.1:2525',
};
const secretsIn = (text: string) => Object.values(SECRET_ENV).flatMap((value) => [value, ...value.split(/[/:@?=]/).filter((part) => part.includes('s3cr3t'))]).filter((secret) => text.includes(secret));

const POLICY = [
  'channels:',
  '  engineering: { slack: { webhookEnv: SLACK_ENGINEERING_URL } }',
  '  releases: { webhook: { urlEnv: RELEASES_HOOK_URL, secretEnv: RELEASES_HOOK_SECRET } }',
  '  stakeholders: { email: { to: [cto@example.com, pm@example.com] } }',
  '  customers: { email: { to: [customers@example.com] } }',
  'notify:',
  '  email: { from: "Releases <releases@example.com>", smtpUrlEnv: SHIPGATE_SMTP_URL }',
  '  timeoutSeconds: 10',
  '  maxAttempts: 5',
  '',
].join('\n');

describe('shipgate notify preview and GET /api/v1/releases/{id}/notify-preview', () => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let db: string;
  let store: Store;
  let policy: Policy;

  beforeAll(async () => {
    repo = createMonorepo();
    repo.commit('feat(billing): recurring invoices', { 'modules/billing/src/recurring.ts': 'export const recurring = true;\n', 'shipgate.yaml': POLICY });
    const parsed = parsePolicyText(POLICY, 'shipgate.yaml');
    if (parsed.policy === undefined) throw new Error(JSON.stringify(parsed.problems));
    policy = parsed.policy;
    temp = tempDir('shipgate-preview-');
    db = path.join(temp.dir, 'store.db');
    store = await openStore({ kind: 'sqlite', file: db });
    const created = { kind: 'created' as const, commit: 'a'.repeat(40), reasons: ['feat: recurring invoices -> minor'], commits: [] };
    await createRelease(store, { component: 'billing', kind: 'module', path: 'modules/billing', version: '2.1.0', tag: 'billing/v2.1.0', lastTag: 'billing/v2.0.0', bump: 'minor', type: 'scheduled', breaking: false, trainDate: '2026-02-17', commit: 'a'.repeat(40), createdBy: 'rel@example.com', state: 'staging' }, created);
    // The timeline planted; the pre-release step ran (its two messages planted, not sent yet).
    await plantTimeline({ store, policy, now: la('2026-02-09T00:00'), windowMs: 10 * 86_400_000 });
    const job = await findJob(store, 'timeline:module:2026-02-17:communication:pre-release-notice');
    expect(await stepDue({ store, policy, env: {} })(job!.payload as TimelineStep)).toMatchObject({ messages: 2 });
  });
  afterAll(async () => {
    await store.close();
    temp.cleanup();
    repo.cleanup();
  });

  it('--json: each action of the plan with its time, recipients and state; the API answers the same', async () => {
    const run = runCli(['notify', 'preview', 'billing@2.1.0', '--json', '--db', db], { cwd: repo.dir, env: SECRET_ENV });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const preview = JSON.parse(run.stdout) as { release: string; train: string; date: string; messages: { step: string; channel: string; at: string; to: string[]; state: string; subject: string; text: string; delivery: string | null }[] };
    expect(preview).toMatchObject({ release: 'billing@2.1.0', train: 'module', date: '2026-02-17', note: null });
    const rows = preview.messages.map((m) => [m.step, m.channel, m.at, m.state]);
    expect(rows).toEqual([
      ['pre-release-notice', '#engineering', '2026-02-10T10:00:00-08:00', 'planned'],
      ['pre-release-notice', 'email:stakeholders', '2026-02-10T10:00:00-08:00', 'planned'],
      ['pre-release-notice', 'calendar', '2026-02-10T10:00:00-08:00', 'not sent'],
      ['code-freeze-reminder', '#engineering', '2026-02-15T10:00:00-08:00', 'due'],
      ['code-freeze-reminder', 'calendar', '2026-02-15T10:00:00-08:00', 'not sent'],
      ['release-day', '#releases', '2026-02-17T10:00:00-08:00', 'due'],
      ['release-day', 'status-page', '2026-02-17T10:00:00-08:00', 'not sent'],
      ['post-release', '#engineering', '2026-02-18T10:00:00-08:00', 'due'],
      ['post-release', 'notes', '2026-02-18T10:00:00-08:00', 'not sent'],
      ['post-release', 'email:customers', '2026-02-18T10:00:00-08:00', 'due'],
    ]);
    const email = preview.messages.find((m) => m.channel === 'email:stakeholders')!;
    expect(email).toMatchObject({ to: ['cto@example.com', 'pm@example.com'], subject: 'billing v2.1.0 ships on 2026-02-17', delivery: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // Secrets by the names of their variables only.
    expect(preview.messages.find((m) => m.channel === '#releases')?.to).toEqual(['releases (webhook in $RELEASES_HOOK_URL, signed with $RELEASES_HOOK_SECRET)']);
    // The release-day status carries the notes, made from the repository.
    expect(preview.messages.find((m) => m.channel === '#releases')?.text).toMatch(/## Billing v2\.1\.0[\s\S]*Recurring invoices/);

    const api = serverApp(store, repo.dir);
    const token = await api.token('pm@example.com');
    const answered = await api.call('GET', '/api/v1/releases/billing@2.1.0/notify-preview', { token });
    expect(answered.status).toBe(200);
    expect(answered.json).toEqual(preview);
    const missing = await api.call('GET', '/api/v1/releases/billing@9.9.9/notify-preview', { token });
    expect(missing.status).toBe(404);
    const document = (await api.call('GET', '/api/v1/openapi.json')).json as unknown as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/api/v1/releases/{id}/notify-preview');
    expect(secretsIn(`${run.stdout}${answered.text}${api.logged.join('')}`)).toEqual([]);
  });

  it('human: when, what and to whom, and how far each message got; no secret; an unknown release is a one-line error', () => {
    const run = runCli(['notify', 'preview', 'billing', '--db', db, '--no-notes'], { cwd: repo.dir, env: SECRET_ENV });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('billing@2.1.0: module train, 2026-02-17; 10 actions, 6 of them messages shipgate sends');
    expect(run.stdout).toMatch(/^Tue 2026-02-10 10:00 PST {2}7 days before \(pre-release-notice\) {2}email:stakeholders {2}planned\n {2}to: cto@example\.com, pm@example\.com\n {2}subject: billing v2\.1\.0 ships on 2026-02-17$/m);
    expect(run.stdout).toContain('to: #engineering (Slack webhook in $SLACK_ENGINEERING_URL)');
    expect(run.stdout).toContain('Release notes: shipgate notes billing@2.1.0');
    expect(secretsIn(run.stdout)).toEqual([]);
    const unknown = runCli(['notify', 'preview', 'billing@9.9.9', '--db', db], { cwd: repo.dir });
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown);
  });

  it('policy check refuses an action whose channel the policy does not name, at its line, with a did-you-mean; no secret in what it says', () => {
    const wrong = `${POLICY}communication:\n  - { id: heads-up, at: -2d, title: Heads-up, actions: [{ channel: "#enginering", message: Coming soon }] }\n`;
    const dir = tempDir('shipgate-channel-');
    try {
      const file = path.join(dir.dir, 'shipgate.yaml');
      writeFileSync(file, wrong);
      const run = runCli(['policy', 'check', '--policy', file], { cwd: repo.dir, env: SECRET_ENV });
      // As for every problem policy check finds in a file (exit 1; 2 is for a file it cannot read).
      expect(run.code).toBe(1);
      expect(`${run.stdout}${run.stderr}`).toMatch(/shipgate\.yaml:11:68 unknown channel "enginering"; did you mean "#engineering"\?/);
      expect(secretsIn(`${run.stdout}${run.stderr}`)).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });
});
