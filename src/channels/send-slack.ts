import { fromEnv, type ChannelSender } from './channel-sender.js';
import { answerOutcome, httpRequest } from './http-request.js';
import { urlSecrets } from './send-outcome.js';
import type { SendingTarget } from '../notify-plan/resolve-channel.js';

type Slack = Extract<SendingTarget, { kind: 'slack' }>;

/**
 * A Slack incoming webhook: POST {text}. Slack keeps no delivery id, so a post that may have gone
 * through is never posted again (see ChannelSender.dedupes).
 */
export const slackSender: ChannelSender<Slack> = {
  dedupes: false,
  async send(target, message, settings) {
    const url = fromEnv(settings, target.webhookEnv);
    if ('missing' in url) return { ok: false, uncertain: false, detail: url.missing };
    const name = `the Slack webhook in $${target.webhookEnv}`;
    const body = JSON.stringify({ text: `*${message.subject}*\n${message.text}` });
    const result = await httpRequest({ method: 'POST', url: url.value, headers: { 'content-type': 'application/json', 'user-agent': 'shipgate' }, body, timeoutMs: settings.timeoutMs, name, ...(settings.signal ? { signal: settings.signal } : {}) });
    return 'failure' in result ? result.failure : answerOutcome(name, result.answer);
  },
  secrets(target, settings) {
    const url = settings.env[target.webhookEnv];
    return url ? urlSecrets(url) : [];
  },
};
