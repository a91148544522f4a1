import type { SendingTarget } from '../notify-plan/resolve-channel.js';
import type { ChannelSender } from './channel-sender.js';
import { emailSender } from './send-email.js';
import { slackSender } from './send-slack.js';
import { webhookSender } from './send-webhook.js';

/** The sender of each kind of channel. */
export const senders: { readonly [K in SendingTarget['kind']]: ChannelSender<Extract<SendingTarget, { kind: K }>> } = {
  slack: slackSender,
  email: emailSender,
  webhook: webhookSender,
};

export function senderFor<T extends SendingTarget>(target: T): ChannelSender<T> {
  return senders[target.kind] as unknown as ChannelSender<T>;
}
