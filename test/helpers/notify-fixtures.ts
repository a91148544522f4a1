import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { plantTimeline } from '../../src/app/plant-timeline.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/schema.js';
import type { Store } from '../../src/store/open-store.js';
import { createRelease } from '../../src/store/releases.js';
import type { TestRepo } from './git-repo.js';
import { createMonorepo } from './monorepo.js';
import { signatureValid, type TestReceiver, type TestSmtp } from './receivers.js';

/**
 * What the communication plan's process tests (a job worker, `shipgate serve`) share: a policy whose
 * channels go to loopback receivers through the environment, billing 2.1.0 in the store, and the
 * messages the built-in plan sends for it.
 */

export interface NotifySecrets {
  readonly slackToken: string;
  readonly hookSecret: string;
  readonly smtpPassword: string;
}

/** The policy's channels (Slack, a signed webhook, two email lists) and notify settings, plus `extra` lines. */
export function notifyPolicyText(timeoutSeconds: number, extra: readonly string[] = []): string {
  return [
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
}

/** The monorepo with a feature for billing 2.1.0 (its release notes) and the policy `text`, committed; the policy parsed. */
export function repoWithNotifyPolicy(text: string): { repo: TestRepo; policy: Policy } {
  const repo = createMonorepo();
  repo.commit('feat(billing): recurring invoices', { 'modules/billing/src/recurring.ts': 'export const recurring = true;\n', 'shipgate.yaml': text });
  const { policy, problems } = parsePolicyText(text, 'shipgate.yaml');
  if (policy === undefined) throw new Error(JSON.stringify(problems));
  return { repo, policy };
}

const BILLING_RELEASE = { component: 'billing', kind: 'module', path: 'modules/billing', version: '2.1.0', tag: 'billing/v2.1.0', lastTag: 'billing/v2.0.0', bump: 'minor' as const, type: 'scheduled' as const, breaking: false, trainDate: '2026-02-17', commit: 'a'.repeat(40), createdBy: 'rel@example.com' };
const BILLING_CREATED = { kind: 'created' as const, commit: 'a'.repeat(40), reasons: ['feat: recurring invoices -> minor'], commits: [] };

/** Billing 2.1.0 in the store in `state`, and the plan's steps for it planted for `days` from `from` (a time in the policy's zone). */
export async function plantBillingPlan(store: Store, policy: Policy, state: 'staging' | 'production', from: string, days: number): Promise<void> {
  await createRelease(store, { ...BILLING_RELEASE, state }, BILLING_CREATED);
  await plantTimeline({ store, policy, now: DateTime.fromISO(from, { zone: policy.timezone }).toJSDate(), windowMs: days * 86_400_000 });
}

/** The environment the policy's channels read: Slack's URL carries its token, as a real one does. `smtp` is a whole smtp:// URL. */
export function channelEnv(secrets: NotifySecrets, to: { slack: string; hook: string; smtp?: string }): Record<string, string> {
  return {
    SLACK_ENGINEERING_URL: `${to.slack}/services/${secrets.slackToken}`,
    RELEASES_HOOK_URL: `${to.hook}/hook`,
    RELEASES_HOOK_SECRET: secrets.hookSecret,
    ...(to.smtp === undefined ? {} : { SHIPGATE_SMTP_URL: to.smtp }),
  };
}

/** The tables a send writes, as text: where a leaked secret would be. */
export async function storeText(store: Store): Promise<string> {
  return JSON.stringify(await Promise.all(['jobs', 'deliveries', 'release_events'].map(async (table) => (await sql`SELECT * FROM ${sql.table(table)}`.execute(store.db)).rows)));
}

export async function sendJobsDone(store: Store): Promise<number> {
  return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM jobs WHERE kind = 'notify-send' AND state = 'done'`.execute(store.db)).rows[0]?.n);
}

/**
 * The whole plan for billing 2.1.0 arrived: Slack at pre-release, freeze and post-release, email to the
 * stakeholders and the customers, and one signed release-day status carrying the release notes (made
 * from the repository's history by whichever process sent it).
 */
export function expectEveryMessageOnce(received: { slack: TestReceiver; hook: TestReceiver; smtp: TestSmtp }, hookSecret: string): void {
  const { slack, hook, smtp } = received;
  expect(slack.requests.map((r) => (JSON.parse(r.body) as { text: string }).text.split('\n')[0]).sort()).toEqual(['*Code freeze: billing v2.1.0*', '*billing v2.1.0 is released*', '*billing v2.1.0 ships on 2026-02-17*']);
  expect(smtp.mails.map((mail) => [mail.subject, mail.to.join(',')]).sort()).toEqual([
    ['billing v2.1.0 is released', 'customers@example.com'],
    ['billing v2.1.0 ships on 2026-02-17', 'cto@example.com'],
  ]);
  expect(hook.requests).toHaveLength(1);
  expect(signatureValid(hook.requests[0]!, hookSecret)).toBe(true);
  expect((JSON.parse(hook.requests[0]!.body) as { text: string }).text).toMatch(/^billing v2\.1\.0 is being released now \(2026-02-17 10:00, America\/Los_Angeles\)\.\n\n## Billing v2\.1\.0\n\n\*\*Release Date:\*\* 2026-02-17\n[\s\S]*Recurring invoices/);
}
