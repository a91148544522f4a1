import { describe, expect, it } from 'vitest';
import type { ReleaseRecord } from '../gates/types.js';
import { builtinPolicy, parsePolicyText } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { planMessages, releaseEvent } from './plan-messages.js';
import { resolveChannel } from './resolve-channel.js';

const builtin = builtinPolicy();
const channels: Policy['channels'] = {
  engineering: { slack: { webhookEnv: 'SLACK_ENGINEERING_URL' } },
  releases: { webhook: { urlEnv: 'RELEASES_HOOK_URL', secretEnv: 'RELEASES_HOOK_SECRET' } },
  stakeholders: { email: { to: ['cto@example.com', 'pm@example.com'], cc: [] } },
  customers: { email: { to: ['customers@example.com'], cc: ['support@example.com'] } },
};
const policy: Policy = { ...builtin, channels };

const release = (overrides: Partial<ReleaseRecord> = {}): ReleaseRecord => ({
  id: 'billing@2.1.0',
  component: 'billing',
  kind: 'module',
  path: 'modules/billing',
  version: '2.1.0',
  tag: 'billing/v2.1.0',
  lastTag: 'billing/v2.0.0',
  bump: 'minor',
  type: 'scheduled',
  breaking: false,
  state: 'candidate',
  trainDate: '2026-02-17',
  commit: 'a'.repeat(40),
  createdBy: 'dev@example.com',
  createdAt: '2026-02-09T18:00:00.000Z',
  updatedAt: '2026-02-09T18:00:00.000Z',
  seq: 1,
  postmortemUrl: null,
  ...overrides,
});

describe('resolveChannel', () => {
  it('sends nothing while the policy names no channels, so today\'s policy files stay valid', () => {
    expect(resolveChannel(builtin, '#engineering')).toEqual({ target: { kind: 'none', why: 'not sent: the policy names no channels' } });
    expect(resolveChannel(builtin, 'calendar')).toEqual({ target: { kind: 'calendar' } });
    expect(resolveChannel(builtin, 'status-page')).toMatchObject({ target: { kind: 'none' } });
  });

  it('maps #name, email:name and webhook:name onto the named channels of the right kind', () => {
    expect(resolveChannel(policy, '#engineering')).toEqual({ target: { kind: 'slack', name: 'engineering', webhookEnv: 'SLACK_ENGINEERING_URL' } });
    expect(resolveChannel(policy, '#releases')).toEqual({ target: { kind: 'webhook', name: 'releases', urlEnv: 'RELEASES_HOOK_URL', secretEnv: 'RELEASES_HOOK_SECRET' } });
    expect(resolveChannel(policy, 'email:stakeholders')).toEqual({ target: { kind: 'email', name: 'stakeholders', to: ['cto@example.com', 'pm@example.com'], cc: [] } });
    expect(resolveChannel(policy, 'webhook:releases')).toMatchObject({ target: { kind: 'webhook' } });
    expect(resolveChannel(policy, '#enginering')).toEqual({ problem: { message: 'unknown channel "enginering"' } });
    expect(resolveChannel(policy, 'email:engineering')).toEqual({ problem: { message: '"email:engineering" needs an email list, but channel "engineering" is a Slack channel' } });
    expect(resolveChannel(policy, '#stakeholders')).toMatchObject({ problem: { message: expect.stringMatching(/is an email list$/) } });
  });
});

describe('planMessages', () => {
  const event = releaseEvent(policy, release())!;

  it('renders each step\'s template for the release at the step\'s time, in the train\'s zone', () => {
    const messages = planMessages(policy, release(), { event, notes: '## Features\n- recurring invoices' });
    expect(messages.map((m) => [m.at, m.step, m.channel, m.target.kind, m.skip])).toEqual([
      ['2026-02-10T10:00:00-08:00', 'pre-release-notice', '#engineering', 'slack', null],
      ['2026-02-10T10:00:00-08:00', 'pre-release-notice', 'email:stakeholders', 'email', null],
      ['2026-02-10T10:00:00-08:00', 'pre-release-notice', 'calendar', 'calendar', null],
      ['2026-02-15T10:00:00-08:00', 'code-freeze-reminder', '#engineering', 'slack', null],
      ['2026-02-15T10:00:00-08:00', 'code-freeze-reminder', 'calendar', 'calendar', null],
      ['2026-02-17T10:00:00-08:00', 'release-day', '#releases', 'webhook', null],
      ['2026-02-17T10:00:00-08:00', 'release-day', 'status-page', 'none', null],
      // After release is the production deploy: a day's staging soak after the release cut.
      ['2026-02-18T10:00:00-08:00', 'post-release', '#engineering', 'slack', null],
      ['2026-02-18T10:00:00-08:00', 'post-release', 'notes', 'none', null],
      ['2026-02-18T10:00:00-08:00', 'post-release', 'email:customers', 'email', null],
    ]);
    const [notice] = messages;
    expect(notice?.key).toBe('notify:billing@2.1.0:pre-release-notice:#engineering');
    expect(notice?.subject).toBe('billing v2.1.0 ships on 2026-02-17');
    expect(notice?.text).toBe('billing v2.1.0 (MINOR) rides the Module release on 2026-02-17 at 10:00 (America/Los_Angeles).\nThe code freeze starts 2026-02-15 10:00.');
    // The pre-release notice does not carry the notes; the post-release announcement does.
    expect(notice?.includesNotes).toBe(false);
    const announcement = messages.find((m) => m.step === 'post-release' && m.channel === '#engineering');
    expect(announcement?.text).toBe('billing v2.1.0 is released.\n\n## Features\n- recurring invoices');
  });

  it('points at the notes when they cannot be had, and drops a line whose placeholders came out empty', () => {
    const [day] = planMessages(policy, release(), { event, notes: null, steps: ['release-day'] });
    expect(day?.text).toBe('billing v2.1.0 is being released now (2026-02-17 10:00, America/Los_Angeles).\n\nRelease notes: shipgate notes billing@2.1.0');
    const custom: Policy = { ...policy, communication: [{ ...policy.communication[0]!, template: { subject: '{component}\n{version}', text: 'Heads up.\n{notes}\nBye.' } }] };
    const [plain] = planMessages(custom, release(), { event, notes: null });
    expect(plain?.subject).toBe('billing 2.1.0');
    expect(plain?.text).toBe('Heads up.\nBye.');
  });

  it('words a step without a template from its action, and skips a step meant for other bump levels', () => {
    const custom: Policy = { ...policy, communication: [{ id: 'major-heads-up', at: '-30d', title: 'A month before', actions: [{ channel: '#engineering', message: 'Heads up' }], bumps: ['major'], template: null, notes: false }] };
    const [message] = planMessages(custom, release(), { event: releaseEvent(custom, release())!, notes: null });
    expect(message).toMatchObject({ at: '2026-01-18T10:00:00-08:00', subject: 'A month before: billing v2.1.0', text: 'Heads up: billing v2.1.0, Module release on 2026-02-17 at 10:00 (America/Los_Angeles).', skip: 'only for major releases' });
    expect(planMessages(custom, release({ bump: 'major' }), { event, notes: null })[0]?.skip).toBeNull();
  });

  it('knows no train date for an on-demand release', () => {
    expect(releaseEvent(policy, release({ type: 'hotfix', trainDate: null }))).toBeUndefined();
  });
});

describe('policy check of the communication plan', () => {
  const problems = (yaml: string) => parsePolicyText(yaml, 'shipgate.yaml').problems.filter((p) => p.severity === 'error').map((p) => `${p.line}:${p.col} ${p.severity} ${p.message}`);
  const named = ['channels:', '  engineering: { slack: { webhookEnv: SLACK_ENGINEERING_URL } }', '  releases: { slack: { webhookEnv: SLACK_RELEASES_URL } }', '  stakeholders: { email: { to: [cto@example.com] } }', '  customers: { email: { to: [customers@example.com] } }'];

  it('accepts the built-in plan with or without channels', () => {
    expect(problems('version: 1\n')).toEqual([]);
    expect(problems(named.join('\n'))).toEqual([]);
  });

  it('refuses an unknown channel with a did-you-mean, at the action', () => {
    const yaml = [
      ...named,
      'communication:',
      '  - id: heads-up',
      '    at: -3d',
      '    title: Heads up',
      '    actions:',
      '      - { channel: "#enginering", message: Post it }',
      '      - { channel: "email:board", message: Mail it }',
      '      - { channel: "email:engineering", message: Mail it }',
    ].join('\n');
    expect(problems(yaml)).toEqual([
      '11:20 error unknown channel "enginering"; did you mean "#engineering"?',
      '12:20 error unknown channel "board" (channels: engineering, releases, stakeholders, customers)',
      '13:20 error "email:engineering" needs an email list, but channel "engineering" is a Slack channel',
    ]);
  });

  it('refuses a channel of no kind or of two, an unknown placeholder, a secret in the policy and a token sent in the clear', () => {
    const yaml = [
      'channels:',
      '  engineering: { slack: { webhookEnv: SLACK_URL }, webhook: { urlEnv: HOOK_URL, secretEnv: HOOK_SECRET } }',
      '  releases: {}',
      '  stakeholders: { email: { to: [cto@example.com] } }',
      '  customers: { slack: { webhookEnv: "https://hooks.slack.com/services/T0/B0/x" } }',
      'communication:',
      '  - id: heads-up',
      '    at: -3d',
      '    title: Heads up',
      '    actions: [{ channel: "email:stakeholders", message: Mail it }]',
      '    template: { subject: "{componnt} soon", text: "{notes}" }',
      'freeze:',
      '  github: { repository: acme/app, tokenEnv: GITHUB_TOKEN, apiUrl: "http://github.example.com" }',
    ].join('\n');
    expect(problems(yaml)).toEqual([
      '2:16 error channel "engineering" must be exactly one of slack, email or webhook (it has slack and webhook)',
      '3:13 error channel "releases" must be exactly one of slack, email or webhook',
      expect.stringMatching(/^5:37 error channels\.customers\.slack\.webhookEnv: an environment variable name such as SLACK_ENGINEERING_URL/),
      '11:26 error unknown placeholder {componnt}; did you mean {component}?',
      '13:67 error "http://github.example.com": the token is sent there, so it must be an https URL (or http on loopback, for a local stand-in)',
    ]);
  });
});
