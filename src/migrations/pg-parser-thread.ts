import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { fromJson, type JsonParseOutcome, type ParseOutcome, type SqlParser } from './pg-parser.js';

/**
 * The PostgreSQL parser on a second thread, ahead of the lint. The lint's rules must see the migrations in
 * order (a table created earlier, a column deprecated earlier), but parsing does not: the texts the lint
 * will parse are sent as soon as they are known (`expect`, file by file as they are read), the thread
 * parses them in that order and posts each tree as the parser's JSON text, and `parse` takes the one for
 * its text, blocking only when the thread has not reached it yet. On two cores the parser's WebAssembly
 * then runs beside the rules and the report's writing.
 *
 * Protocol: the lint posts arrays of texts; the thread posts batches of outcomes in the same order. Both
 * sides share three counters: batches posted (PARSED), batches taken (TAKEN, so the thread stays at most a
 * bounded number of batches ahead), and whether the lint is waiting (WAITING, so the thread posts what it
 * has at once). Waiting is `Atomics.wait` on PARSED and `receiveMessageOnPort`: `parse` stays synchronous.
 */
export function startPgParserThread(): ParserThread | undefined {
  const file = new URL('./pg-parser-worker.js', import.meta.url);
  // Run from the TypeScript sources (the tests), there is no worker file: the caller parses in-process.
  if (!existsSync(fileURLToPath(file))) return undefined;
  return new ParserThread(file);
}

export const PARSED = 0;
export const TAKEN = 1;
export const WAITING = 2;

export interface ParserThreadData {
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

/** A failed section carries its statements' parses, which the lint asks for next. */
export type ThreadOutcome = JsonParseOutcome & { readonly pieces?: readonly { readonly sql: string; readonly outcome: JsonParseOutcome }[] };

export type ThreadReply = { readonly outcomes: readonly ThreadOutcome[] } | { readonly failed: string };

/** Long enough for any parse; a thread silent for this long has stopped. */
const SILENCE_MS = 120_000;

export class ParserThread implements SqlParser {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  /** Texts sent and not yet taken, with the numbers of their outcomes (a text may come twice). */
  private readonly expected = new QueuesByText<number>();
  private sent = 0;
  /** Outcomes received and not yet taken, by number. */
  private readonly received = new Map<number, ThreadOutcome>();
  private receivedCount = 0;
  /** Statement parses that came with a failed section, by text. */
  private readonly spare = new QueuesByText<JsonParseOutcome>();
  private closed = false;

  constructor(file: URL) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: ParserThreadData = { port: port2, signal: this.signal };
    this.worker = new Worker(file, { workerData: data, transferList: [port2] });
    // Neither keeps the process alive: a lint that ends early (an error) must not hang on its thread.
    this.worker.unref();
    this.port.unref();
  }

  /** Texts `parse` will be asked for, in about the order it will be; each is parsed once for each time sent. */
  expect(sqls: readonly string[]): void {
    if (sqls.length === 0) return;
    this.port.postMessage(sqls);
    for (const sql of sqls) this.expected.push(sql, this.sent++);
  }

  parse(sql: string): ParseOutcome {
    const spare = this.spare.shift(sql);
    if (spare !== undefined) return fromJson(spare);
    let seq = this.expected.shift(sql);
    if (seq === undefined) {
      // Not expected (never in the lint's own use): asked for alone, answered after the rest.
      this.expect([sql]);
      seq = this.expected.shift(sql) as number;
    }
    while (this.receivedCount <= seq) this.receive();
    const outcome = this.received.get(seq) as ThreadOutcome;
    this.received.delete(seq);
    for (const piece of outcome.pieces ?? []) this.spare.push(piece.sql, piece.outcome);
    return fromJson(outcome);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
  }

  private receive(): void {
    const signal = this.signal;
    for (;;) {
      const seen = Atomics.load(signal, PARSED);
      const message = receiveMessageOnPort(this.port);
      if (message !== undefined) {
        Atomics.add(signal, TAKEN, 1);
        Atomics.notify(signal, TAKEN);
        const reply = message.message as ThreadReply;
        if ('failed' in reply) throw new Error(`the SQL parser's thread failed: ${reply.failed}`);
        for (const outcome of reply.outcomes) this.received.set(this.receivedCount++, outcome);
        return;
      }
      Atomics.store(signal, WAITING, 1);
      const woke = Atomics.wait(signal, PARSED, seen, SILENCE_MS);
      Atomics.store(signal, WAITING, 0);
      if (woke === 'timed-out') throw new Error(`the SQL parser's thread did not answer in ${SILENCE_MS / 1000} s`);
    }
  }
}

/** First in, first out, one queue per text. */
class QueuesByText<T> {
  private readonly queues = new Map<string, T[]>();

  push(text: string, value: T): void {
    const queue = this.queues.get(text);
    if (queue === undefined) this.queues.set(text, [value]);
    else queue.push(value);
  }

  shift(text: string): T | undefined {
    const queue = this.queues.get(text);
    if (queue === undefined) return undefined;
    const value = queue.shift();
    if (queue.length === 0) this.queues.delete(text);
    return value;
  }
}
