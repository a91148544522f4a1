import type { Kysely, Selectable } from 'kysely';
import type { SendingTarget } from '../notify-plan/resolve-channel.js';
import type { StoreDb } from './open-store.js';
import type { Database } from './schema.js';
import { databaseNow, writeTransaction } from './write-transaction.js';

/**
 * planned: written, not yet tried; sending: an attempt started the send and has not said how it
 * ended (if it stays so, that attempt died mid-send); sent; failed: the last attempt failed for sure
 * and another may follow; uncertain: it may or may not have arrived, and the channel cannot tell a
 * repeat, so it is not sent again (a person checks).
 */
export const DELIVERY_STATES = ['planned', 'sending', 'sent', 'failed', 'uncertain'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The deliveries table (migration 0008-deliveries); times are the database clock's UTC ISO text. */
export interface DeliveriesTable {
  id: string;
  key: string;
  release_id: string;
  step: string;
  channel: string;
  target: string;
  subject: string;
  body: string;
  due_at: string;
  state: DeliveryState;
  attempts: number;
  job_attempt: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

type DeliveriesDatabase = Database & { deliveries: DeliveriesTable };

export interface Delivery {
  /** Goes out with the message (X-Shipgate-Delivery, the Message-ID): a receiver can tell a repeat by it. */
  readonly id: string;
  readonly key: string;
  readonly releaseId: string;
  readonly step: string;
  readonly channel: string;
  readonly target: SendingTarget;
  readonly subject: string;
  readonly body: string;
  readonly dueAt: string;
  readonly state: DeliveryState;
  /** Sends started. */
  readonly attempts: number;
  readonly jobAttempt: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt: string | null;
}

export type NewDelivery = Pick<Delivery, 'id' | 'key' | 'releaseId' | 'step' | 'channel' | 'target' | 'subject' | 'body' | 'dueAt'>;

function table(store: StoreDb): Kysely<DeliveriesDatabase> {
  return store.db.withTables<{ deliveries: DeliveriesTable }>();
}

/** Writes a delivery, or finds the one already written with its key (the message is then not planned twice). */
export async function plantDelivery(store: StoreDb, delivery: NewDelivery): Promise<{ delivery: Delivery; planted: boolean }> {
  const db = table(store);
  const now = await databaseNow(db, store.dialect);
  const inserted = await db
    .insertInto('deliveries')
    .values({
      id: delivery.id,
      key: delivery.key,
      release_id: delivery.releaseId,
      step: delivery.step,
      channel: delivery.channel,
      target: JSON.stringify(delivery.target),
      subject: delivery.subject,
      body: delivery.body,
      due_at: delivery.dueAt,
      state: 'planned',
      attempts: 0,
      job_attempt: 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { delivery: toDelivery(inserted), planted: true };
  return { delivery: toDelivery(await db.selectFrom('deliveries').selectAll().where('key', '=', delivery.key).executeTakeFirstOrThrow()), planted: false };
}

export async function getDelivery(store: StoreDb, id: string): Promise<Delivery | undefined> {
  const row = await table(store).selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDelivery(row);
}

/** A release's deliveries, earliest due first. */
export async function listDeliveries(store: StoreDb, releaseId: string): Promise<Delivery[]> {
  const rows = await table(store).selectFrom('deliveries').selectAll().where('release_id', '=', releaseId).orderBy('due_at').orderBy('key').execute();
  return rows.map(toDelivery);
}

/**
 * Records, before anything goes out, that job attempt `jobAttempt` is sending: committed first, so a
 * crash during the send leaves "sending" behind for the next attempt to find. Null when a newer
 * attempt has taken the delivery over, or it is already settled.
 */
export function startSend(store: StoreDb, id: string, jobAttempt: number): Promise<Delivery | null> {
  return underAttempt(store, id, jobAttempt, true, (db, at) =>
    db
      .updateTable('deliveries')
      .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), job_attempt: jobAttempt, updated_at: at }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Records how a send ended; only the attempt that started it may, and only once. */
export function settleSend(store: StoreDb, id: string, jobAttempt: number, outcome: { state: 'sent' | 'failed' | 'uncertain'; error: string | null }): Promise<Delivery | null> {
  return underAttempt(store, id, jobAttempt, false, (db, at) =>
    db
      .updateTable('deliveries')
      .set({ state: outcome.state, last_error: outcome.error, updated_at: at, ...(outcome.state === 'sent' ? { sent_at: at } : {}) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

async function underAttempt(
  store: StoreDb,
  id: string,
  jobAttempt: number,
  starting: boolean,
  work: (db: Kysely<DeliveriesDatabase>, at: string) => Promise<Selectable<DeliveriesTable>>,
): Promise<Delivery | null> {
  return writeTransaction(table(store), store.dialect, async (db) => {
    let query = db.selectFrom('deliveries').selectAll().where('id', '=', id);
    if (store.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row || row.state === 'sent' || row.state === 'uncertain') return null;
    const owner = Number(row.job_attempt);
    if (starting ? owner >= jobAttempt : owner !== jobAttempt || row.state !== 'sending') return null;
    return toDelivery(await work(db, await databaseNow(db, store.dialect)));
  });
}

function toDelivery(row: Selectable<DeliveriesTable>): Delivery {
  return {
    id: row.id,
    key: row.key,
    releaseId: row.release_id,
    step: row.step,
    channel: row.channel,
    target: JSON.parse(row.target) as SendingTarget,
    subject: row.subject,
    body: row.body,
    dueAt: row.due_at,
    state: row.state,
    attempts: Number(row.attempts),
    jobAttempt: Number(row.job_attempt),
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}
