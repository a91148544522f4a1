import type { ChannelConfig, Policy } from '../policy/schema.js';

/**
 * Where one action of a communication step goes, as data a preview can show: the variables that hold
 * secrets are named, their values never appear here.
 */
export type Target =
  | { readonly kind: 'slack'; readonly name: string; readonly webhookEnv: string }
  | { readonly kind: 'email'; readonly name: string; readonly to: readonly string[]; readonly cc: readonly string[] }
  | { readonly kind: 'webhook'; readonly name: string; readonly urlEnv: string; readonly secretEnv: string }
  /** "Update the calendar": the ICS feed (`shipgate calendar --format ics`) carries every release; nothing is sent. */
  | { readonly kind: 'calendar' }
  /** Not sent by shipgate: a person's step (notes, docs, the status page), or a channel the policy does not name. */
  | { readonly kind: 'none'; readonly why: string };

export type SendingTarget = Extract<Target, { kind: 'slack' | 'email' | 'webhook' }>;

export function isSending(target: Target): target is SendingTarget {
  return target.kind === 'slack' || target.kind === 'email' || target.kind === 'webhook';
}

/** Why a channel cannot be resolved: `policy check` reports it at the action, did-you-mean included. */
export interface ChannelProblem {
  readonly message: string;
}

/** The kinds of named channel each way of writing a channel may refer to. */
function wanted(channel: string): { name: string; kinds: readonly (keyof ChannelConfig)[]; what: string } | undefined {
  if (channel.startsWith('#')) return { name: channel.slice(1), kinds: ['slack', 'webhook'], what: 'a Slack channel or a webhook' };
  if (channel.startsWith('email:')) return { name: channel.slice('email:'.length), kinds: ['email'], what: 'an email list' };
  if (channel.startsWith('webhook:')) return { name: channel.slice('webhook:'.length), kinds: ['webhook'], what: 'a webhook' };
  return undefined;
}

/** The one kind a channel is configured as (the policy check refuses none or several). */
export function channelKind(config: ChannelConfig): keyof ChannelConfig | undefined {
  const kinds = (['slack', 'email', 'webhook'] as const).filter((kind) => config[kind] !== undefined);
  return kinds.length === 1 ? kinds[0] : undefined;
}

/**
 * Maps an action's channel (`#engineering`, `email:stakeholders`, `calendar`, `notes`…) onto the
 * policy's named channels. A policy that names no channels sends nothing, so today's files stay valid;
 * once it names some, a channel that names none of them is a problem. `notes`, `docs` and
 * `status-page` are people's steps unless the policy names a channel so.
 */
export function resolveChannel(policy: Pick<Policy, 'channels'>, channel: string): { target: Target } | { problem: ChannelProblem } {
  const named = Object.keys(policy.channels);
  if (channel === 'calendar') return { target: { kind: 'calendar' } };
  const want = wanted(channel) ?? { name: channel, kinds: ['slack', 'email', 'webhook'] as const, what: 'a channel' };
  const config = Object.hasOwn(policy.channels, want.name) ? policy.channels[want.name] : undefined;
  if (config === undefined) {
    if (wanted(channel) === undefined) return { target: { kind: 'none', why: `${channel}: a step for people, not sent by shipgate` } };
    if (named.length === 0) return { target: { kind: 'none', why: 'not sent: the policy names no channels' } };
    return { problem: { message: `unknown channel "${want.name}"` } };
  }
  const kind = channelKind(config);
  if (kind === undefined) return { problem: { message: `channel "${want.name}" must be exactly one of slack, email or webhook` } };
  if (!want.kinds.includes(kind)) return { problem: { message: `"${channel}" needs ${want.what}, but channel "${want.name}" is ${kind === 'email' ? 'an email list' : `a ${kind === 'slack' ? 'Slack' : 'webhook'} channel`}` } };
  if (kind === 'slack') return { target: { kind, name: want.name, webhookEnv: config.slack!.webhookEnv } };
  if (kind === 'email') return { target: { kind, name: want.name, to: config.email!.to, cc: config.email!.cc } };
  return { target: { kind, name: want.name, ...config.webhook! } };
}

/** Who a target reaches, in words safe to print (variable names, never their values). */
export function describeTarget(channel: string, target: Target): { via: string; to: readonly string[] } {
  switch (target.kind) {
    case 'slack':
      return { via: 'slack', to: [`${channel.startsWith('#') ? channel : `#${target.name}`} (Slack webhook in $${target.webhookEnv})`] };
    case 'email':
      return { via: 'email', to: [...target.to, ...target.cc.map((address) => `cc ${address}`)] };
    case 'webhook':
      return { via: 'webhook', to: [`${target.name} (webhook in $${target.urlEnv}, signed with $${target.secretEnv})`] };
    case 'calendar':
      return { via: 'calendar', to: ['the ICS feed (shipgate calendar --format ics)'] };
    case 'none':
      return { via: 'none', to: [target.why] };
  }
}
