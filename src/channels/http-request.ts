import http from 'node:http';
import https from 'node:https';
import type { SendOutcome } from './send-outcome.js';

export interface HttpCall {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The receiver as a message names it: its secret URL never appears in what a call says. */
  readonly name: string;
}

export interface HttpAnswer {
  readonly status: number;
  /** The first 2 kB of the answer. */
  readonly text: string;
}

/**
 * One HTTP request, no redirects followed, with a deadline for the whole call. What failed decides
 * whether the receiver may have acted on it: no connection means it surely did not; a failure once
 * the request was on its way (a timeout waiting for the answer, a reset) leaves it uncertain.
 */
export function httpRequest(call: HttpCall): Promise<{ answer: HttpAnswer } | { failure: Extract<SendOutcome, { ok: false }> }> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      return resolve({ failure: { ok: false, uncertain: false, detail: `${call.name} is not a URL` } });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return resolve({ failure: { ok: false, uncertain: false, detail: `${call.name} is not an http(s) URL` } });
    let connected = false;
    let settled = false;
    const finish = (result: Parameters<typeof resolve>[0]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (why: string) => finish({ failure: { ok: false, uncertain: connected, detail: connected ? `${why}; it may have arrived` : why } });
    const body = call.body === null ? undefined : Buffer.from(call.body);
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: call.method,
      headers: { ...call.headers, ...(body === undefined ? {} : { 'content-length': String(body.length) }) },
      agent: false,
    });
    const timer = setTimeout(() => {
      fail(`${call.name} did not answer within ${seconds(call.timeoutMs)}`);
      request.destroy();
    }, call.timeoutMs);
    const onAbort = () => {
      fail(`the send to ${call.name} was stopped`);
      request.destroy();
    };
    if (call.signal?.aborted) return onAbort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    request.on('error', (error: NodeJS.ErrnoException) => fail(`${call.name} could not be reached (${error.code ?? 'error'})`));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < 2048) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => finish({ answer: { status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 2048) } }));
      response.on('error', () => fail(`${call.name} broke off its answer`));
    });
    request.end(body);
  });
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** An answer as an outcome: 2xx sent; anything else the receiver refused, so it did not take the message. */
export function answerOutcome(name: string, answer: HttpAnswer): SendOutcome {
  if (answer.status >= 200 && answer.status < 300) return { ok: true, detail: `${name} answered ${answer.status}` };
  const said = answer.text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return { ok: false, uncertain: false, detail: `${name} answered ${answer.status}${said === '' ? '' : `: ${said}`}` };
}
