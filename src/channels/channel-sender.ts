import type { SendingTarget } from '../notify-plan/resolve-channel.js';
import type { SendOutcome } from './send-outcome.js';

/** What goes out: the rendered message and the delivery id that lets a receiver tell a repeat. */
export interface OutgoingMessage {
  readonly delivery: string;
  readonly release: { readonly id: string; readonly component: string; readonly version: string };
  readonly step: string;
  readonly channel: string;
  readonly subject: string;
  readonly text: string;
  /** When the step was due (ISO). */
  readonly dueAt: string;
}

export interface SendSettings {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly email: { readonly from: string; readonly smtpUrlEnv: string };
}

export interface ChannelSender<T extends SendingTarget = SendingTarget> {
  /**
   * Whether the receiver can tell a repeat by the delivery id: a send that may have happened is then
   * sent again with the same id; otherwise it is not sent again and is left for a person to check.
   */
  readonly dedupes: boolean;
  send(target: T, message: OutgoingMessage, settings: SendSettings): Promise<SendOutcome>;
  /** The values (from the environment) that must never appear in anything the send says. */
  secrets(target: T, settings: SendSettings): string[];
}

/** A variable the policy names, or why the send cannot go. */
export function fromEnv(settings: SendSettings, name: string): { value: string } | { missing: string } {
  const value = settings.env[name];
  return value === undefined || value === '' ? { missing: `${name} is not set in the environment` } : { value };
}
