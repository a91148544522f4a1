import type { SendingTarget } from '../notify-plan/resolve-channel.js';
import { fromEnv, type ChannelSender } from './channel-sender.js';
import { urlSecrets, type SendOutcome } from './send-outcome.js';

type Email = Extract<SendingTarget, { kind: 'email' }>;

/**
 * Email over SMTP with nodemailer; the server (smtp://user:password@host:port, smtps:// for TLS) comes
 * from the environment. The delivery id is the Message-ID on every attempt: SMTP has no way to ask
 * whether a message arrived, so after a send that may have gone through (the connection dropped
 * before the server's final reply) it is sent again with the same Message-ID, by which mail systems
 * and clients recognise a duplicate (Gmail, a Sieve "duplicate" rule, formail -D). Nothing more than
 * that is guaranteed for email.
 */
export const emailSender: ChannelSender<Email> = {
  dedupes: true,
  async send(target, message, settings) {
    const url = fromEnv(settings, settings.email.smtpUrlEnv);
    if ('missing' in url) return { ok: false, uncertain: false, detail: url.missing };
    const { default: nodemailer } = await import('nodemailer');
    const timeout = settings.timeoutMs;
    const transport = nodemailer.createTransport({
      url: url.value,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // The message is text shipgate made: never a file or URL for nodemailer to fetch into it.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const name = `the SMTP server in $${settings.email.smtpUrlEnv}`;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const cutOff = new Promise<SendOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, uncertain: true, detail: `${name} did not finish within ${timeout / 1000} s; it may have arrived` }), timeout);
      onAbort = () => resolve({ ok: false, uncertain: true, detail: `the send to ${name} was stopped; it may have arrived` });
      if (settings.signal?.aborted) onAbort();
      else settings.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const send = transport
      .sendMail({
        from: settings.email.from,
        to: [...target.to],
        cc: [...target.cc],
        subject: message.subject,
        text: message.text,
        messageId: `<${message.delivery}@shipgate>`,
        headers: { 'X-Shipgate-Delivery': message.delivery, 'X-Shipgate-Release': message.release.id },
      })
      .then(
        (info): SendOutcome => ({ ok: true, detail: `${name} accepted it for ${info.accepted.length} recipient${info.accepted.length === 1 ? '' : 's'}` }),
        (error: { code?: string; command?: string; responseCode?: number; message?: string }): SendOutcome => {
          // A reply from the server (a 4xx or 5xx) or no connection at all: the message surely did not go.
          const refused = error.responseCode !== undefined || error.command === 'CONN' || error.code === 'ECONNECTION' || error.code === 'EAUTH' || error.code === 'EENVELOPE';
          const what = (error.message ?? 'the send failed').split('\n')[0] ?? '';
          return { ok: false, uncertain: !refused, detail: `${name}: ${what}${refused ? '' : '; it may have arrived'}` };
        },
      );
    try {
      return await Promise.race([send, cutOff]);
    } finally {
      clearTimeout(timer);
      if (onAbort) settings.signal?.removeEventListener('abort', onAbort);
      transport.close();
    }
  },
  secrets(_target, settings) {
    const url = settings.env[settings.email.smtpUrlEnv];
    return url ? urlSecrets(url) : [];
  },
};
