import { createHmac } from 'node:crypto';
import { fromEnv, type ChannelSender, type OutgoingMessage } from './channel-sender.js';
import { answerOutcome, httpRequest } from './http-request.js';
import { urlSecrets } from './send-outcome.js';
import type { SendingTarget } from '../notify-plan/resolve-channel.js';

type Webhook = Extract<SendingTarget, { kind: 'webhook' }>;

/** `sha256=<hex HMAC-SHA256 of the exact body>`, as GitHub signs its webhooks: what a receiver checks. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The JSON a webhook receives: the same bytes on every attempt, so a repeat is the same message. */
export function webhookBody(message: OutgoingMessage): string {
  return JSON.stringify({
    delivery: message.delivery,
    release: message.release,
    step: message.step,
    channel: message.channel,
    dueAt: message.dueAt,
    subject: message.subject,
    text: message.text,
  });
}

/**
 * A generic webhook: POST JSON with X-Shipgate-Delivery (the same id on every attempt: a receiver
 * that keeps the ids it has seen drops a repeat) and X-Shipgate-Signature. Nothing goes out unsigned.
 */
export const webhookSender: ChannelSender<Webhook> = {
  dedupes: true,
  async send(target, message, settings) {
    const url = fromEnv(settings, target.urlEnv);
    if ('missing' in url) return { ok: false, uncertain: false, detail: url.missing };
    const secret = fromEnv(settings, target.secretEnv);
    if ('missing' in secret) return { ok: false, uncertain: false, detail: `${secret.missing}: nothing is sent unsigned` };
    const name = `the ${target.name} webhook in $${target.urlEnv}`;
    const body = webhookBody(message);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'shipgate',
      'x-shipgate-event': 'message',
      'x-shipgate-delivery': message.delivery,
      'x-shipgate-signature': signBody(secret.value, body),
    };
    const result = await httpRequest({ method: 'POST', url: url.value, headers, body, timeoutMs: settings.timeoutMs, name, ...(settings.signal ? { signal: settings.signal } : {}) });
    return 'failure' in result ? result.failure : answerOutcome(name, result.answer);
  },
  secrets(target, settings) {
    const url = settings.env[target.urlEnv];
    const secret = settings.env[target.secretEnv];
    return [...(url ? urlSecrets(url) : []), ...(secret ? [secret] : [])];
  },
};
