import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Real receivers on loopback for the communication tests: an SMTP server (npm smtp-server) that
 * requires a password, and HTTP receivers that answer, fail or hang as a test tells them. They keep
 * everything they were sent, so a test can count what arrived.
 */

export interface ReceivedMail {
  readonly messageId: string;
  readonly subject: string;
  readonly to: readonly string[];
  readonly from: string;
  readonly user: string | undefined;
  readonly raw: string;
}

export interface TestSmtp {
  /** smtp://user:password@127.0.0.1:port: the URL the sender is given through the environment. */
  readonly url: string;
  readonly mails: ReceivedMail[];
  close(): Promise<void>;
}

/** `port`: listen there (a test that had the port refuse connections first); default any free port. */
export async function startSmtp(options: { user: string; password: string; port?: number }): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ').trim() ?? '';
        mails.push({
          messageId: header('Message-ID'),
          subject: header('Subject'),
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          user: session.user as string | undefined,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}@127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** What the receiver did with it. */
  answer: 'ok' | 'fail' | 'hang';
}

/** What to do with the nth request (from 1) that carries the same message: its delivery id, or its body. */
export type Behaviour = (nth: number, request: { headers: http.IncomingHttpHeaders; body: string }) => 'ok' | 'fail' | 'hang';

export interface TestReceiver {
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The requests it answered 2xx: the messages that arrived, from its view. */
  accepted(): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(behaviour: Behaviour = () => 'ok', options: { port?: number } = {}): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = (request.headers['x-shipgate-delivery'] as string | undefined) ?? body;
      const nth = (seen.get(id) ?? 0) + 1;
      seen.set(id, nth);
      const answer = behaviour(nth, { headers: request.headers, body });
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, answer });
      if (answer === 'hang') return;
      response.writeHead(answer === 'ok' ? 200 : 500, { 'content-type': 'text/plain' });
      response.end(answer === 'ok' ? 'ok' : 'the receiver is having a bad day');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted: () => requests.filter((request) => request.answer === 'ok'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether a webhook request carries the HMAC-SHA256 of its body under the secret, as a receiver checks it. */
export function signatureValid(request: ReceivedRequest, secret: string): boolean {
  const given = Buffer.from(String(request.headers['x-shipgate-signature'] ?? ''));
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
