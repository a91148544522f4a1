// The parser thread's own file (a worker thread starts from a file): parses the texts the lint sends, in
// order, and posts each tree back as the parser's JSON text. See pg-parser-thread.ts for the protocol.
import { workerData } from 'node:worker_threads';
import { loadPgJsonParser, type JsonParseOutcome, type JsonSqlParser } from './pg-parser.js';
import { PARSED, TAKEN, WAITING, type ParserThreadData, type ThreadOutcome, type ThreadReply } from './pg-parser-thread.js';
import { splitStatements } from './split-statements.js';

/** Outcomes posted together, unless the lint is waiting: one message each would cost more than a small parse. */
const BATCH = 32;
/** How many batches the parser may be ahead of the lint: enough to never keep it waiting, and bounded memory. */
const AHEAD = 256;

const { port, signal } = workerData as ParserThreadData;
let posted = 0;

/** Posts a reply once the lint is fewer than AHEAD batches behind, and wakes it if it waits. */
function post(reply: ThreadReply): void {
  for (let taken = Atomics.load(signal, TAKEN); posted - taken >= AHEAD; taken = Atomics.load(signal, TAKEN)) {
    Atomics.wait(signal, TAKEN, taken);
  }
  port.postMessage(reply);
  posted += 1;
  Atomics.add(signal, PARSED, 1);
  Atomics.notify(signal, PARSED);
}

try {
  const parser = await loadPgJsonParser();
  let batch: ThreadOutcome[] = [];
  port.on('message', (sqls: readonly string[]) => {
    try {
      for (let index = 0; index < sqls.length; index += 1) {
        batch.push(parseSection(parser, sqls[index] as string));
        if (batch.length >= BATCH || index === sqls.length - 1 || Atomics.load(signal, WAITING) === 1) {
          post({ outcomes: batch });
          batch = [];
        }
      }
    } catch (error) {
      post({ failed: String(error) });
    }
  });
} catch (error) {
  post({ failed: String(error) });
}

/**
 * One section as the lint's parseSection asks for it: when the whole section fails, the lint parses it again
 * statement by statement, so those parses are made here too, while the lint is busy elsewhere.
 */
function parseSection(parser: JsonSqlParser, sql: string): ThreadOutcome {
  const outcome = parser.parse(sql);
  if (outcome.ok) return outcome;
  const pieces: { sql: string; outcome: JsonParseOutcome }[] = [];
  for (const span of splitStatements(sql)) {
    const piece = sql.slice(span.start, span.end);
    pieces.push({ sql: piece, outcome: parser.parse(piece) });
  }
  return { ...outcome, pieces };
}
