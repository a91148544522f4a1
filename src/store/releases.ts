import { sql, type Kysely, type Selectable } from 'kysely';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { Bump, ReleaseType } from '../policy/schema.js';
import type { EventData, LoggedEvent, ReleaseEvent, ReleaseRecord, ReleaseState } from '../gates/types.js';
import { decodeEventData, encodeEventData } from './event-payloads.js';
import { writeMetricCommits } from './first-deploys.js';
import type { Store, StoreDb } from './open-store.js';
import { databaseNow, writeTransaction } from './write-transaction.js';
import type { Database, ReleaseEventsTable, ReleasesTable } from './schema.js';

export type NewRelease = Omit<ReleaseRecord, 'id' | 'state' | 'createdAt' | 'updatedAt' | 'seq' | 'postmortemUrl'> & { readonly state: ReleaseState };

/**
 * What a decision appends to a release's log and changes on its row. A decision may be several
 * steps by different actors (an approval, then shipgate's own transition it causes), all written in
 * one transaction. The time is the store's, never the caller's.
 */
export interface Mutation {
  readonly actor: string;
  /** The API token the actor acts through (its id): kept with each event this step appends. */
  readonly tokenId?: string | undefined;
  readonly events: readonly EventData[];
  readonly patch?: { readonly state?: ReleaseState; readonly commit?: string; readonly postmortemUrl?: string };
}

export interface Mutated {
  readonly release: ReleaseRecord;
  readonly appended: readonly ReleaseEvent[];
}

/** Decides under the release's lock; `now` is the database's clock, the time the events will carry. */
export type Decide = (release: ReleaseRecord, events: readonly ReleaseEvent[], now: Date) => Mutation | readonly Mutation[] | null;

export const releaseId = (component: string, version: string): string => `${component}@${version}`;

/** A fixed key of PostgreSQL's advisory locks that only event appends take (the schema lock has its own). */
const EVENT_APPEND_LOCK = 7368697073636866n;

/**
 * Appends events with their global ids. On PostgreSQL an identity value is drawn when a row is
 * inserted, not when its transaction commits: two writers of different releases could commit ids 8
 * and 7 in that order, and a feed that had read up to 8 would never see 7. A transaction-scoped
 * advisory lock taken before the first insert makes appends one at a time from the draw to the commit,
 * so ids are in commit order. SQLite's BEGIN IMMEDIATE already lets one writer in at a time.
 */
async function appendEvents(db: Kysely<Database>, dialect: Store['dialect'], events: readonly LoggedEvent[]): Promise<ReleaseEvent[]> {
  if (events.length === 0) return [];
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${EVENT_APPEND_LOCK})`.execute(db);
  const appended: ReleaseEvent[] = [];
  for (const event of events) {
    const row = await db.insertInto('release_events').values(eventRow(event)).returning('id').executeTakeFirstOrThrow();
    appended.push({ id: Number(row.id), ...event });
  }
  return appended;
}

export async function createRelease(store: Store, release: NewRelease, created: EventData & { kind: 'created' }, tokenId?: string): Promise<ReleaseRecord> {
  const id = releaseId(release.component, release.version);
  try {
    return await writeTransaction(store.db, store.dialect, async (db) => {
      const existing = await db.selectFrom('releases').select(['id', 'state']).where('id', '=', id).executeTakeFirst();
      if (existing) throw alreadyExists(id, existing.state);
      const at = await databaseNow(db, store.dialect);
      const row: ReleasesTable = {
        id,
        component: release.component,
        kind: release.kind,
        path: release.path,
        version: release.version,
        tag: release.tag,
        last_tag: release.lastTag,
        bump: release.bump,
        type: release.type,
        breaking: release.breaking ? 1 : 0,
        state: release.state,
        train_date: release.trainDate,
        commit_sha: release.commit,
        created_by: release.createdBy,
        created_at: at,
        updated_at: at,
        seq: 1,
        postmortem_url: null,
      };
      await db.insertInto('releases').values(row).execute();
      await appendEvents(db, store.dialect, [{ releaseId: id, seq: 1, at, actor: release.createdBy, ...(tokenId === undefined ? {} : { tokenId }), data: created }]);
      await writeMetricCommits({ db, dialect: store.dialect }, id, created.commits ?? []);
      return toRecord(row);
    });
  } catch (error) {
    // Two PostgreSQL sessions inserting the same new release: the loser hits the primary key.
    if ((error as { code?: string }).code === '23505') throw alreadyExists(id, 'planned');
    throw error;
  }
}

export async function getRelease(store: StoreDb, id: string): Promise<ReleaseRecord | undefined> {
  const row = await store.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** A page of a list: at most `limit` releases, those after the release `after` (the last of the previous page). */
export interface ReleasePage {
  readonly limit?: number;
  readonly after?: string;
}

/**
 * The component's releases (or those riding one train date), newest first; a page of them when asked.
 * Pages are keyset pages on (created_at, id), the order of an index, so page 100 costs what page 1 does.
 */
export async function listReleases(store: Store, filter: { component?: string; trainDate?: string } & ReleasePage = {}): Promise<ReleaseRecord[]> {
  let query = store.db.selectFrom('releases').selectAll();
  if (filter.component !== undefined) query = query.where('component', '=', filter.component);
  if (filter.trainDate !== undefined) query = query.where('train_date', '=', filter.trainDate);
  if (filter.after !== undefined) {
    const cursor = await store.db.selectFrom('releases').select(['created_at', 'id']).where('id', '=', filter.after).executeTakeFirst();
    if (!cursor) throw new ShipgateError('EUSAGE', `the page cursor "${filter.after}" names no release`, { category: 'usage', hint: 'start again from the first page (without after)' });
    // A row-value comparison, not the equivalent OR: SQLite and PostgreSQL seek the index to it, where the OR scans from the top.
    query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursor.created_at, cursor.id)));
  }
  query = query.orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toRecord);
}

/** The release's whole log, oldest first, as the store holds it now. */
export function listEvents(store: StoreDb, id: string): Promise<ReleaseEvent[]> {
  return selectEvents(store.db, id);
}

/** Logs kept per open store (its Kysely instance): a transaction's db is another object, so it always reads. */
const logs = new WeakMap<object, Map<string, { seq: number; events: readonly ReleaseEvent[] }>>();
const LOGS_KEPT = 2000;

/**
 * The log of a release record just read: events are append-only (the store's triggers refuse an
 * update or delete) and every append moves the record's seq in the same transaction, so a log read
 * when its last seq was the record's is the log of any later read of the same seq. A server asked
 * for the same release's gates again and again reads and decodes its events once per append, not
 * once per request; the least recently used logs are dropped past a bound.
 */
export async function eventsOf(store: Store, release: Pick<ReleaseRecord, 'id' | 'seq'>): Promise<readonly ReleaseEvent[]> {
  let kept = logs.get(store.db);
  if (kept === undefined) logs.set(store.db, (kept = new Map()));
  const hit = kept.get(release.id);
  kept.delete(release.id);
  if (hit !== undefined && hit.seq === release.seq) {
    kept.set(release.id, hit);
    return hit.events;
  }
  const events = await selectEvents(store.db, release.id);
  kept.set(release.id, { seq: events.at(-1)?.seq ?? 0, events });
  if (kept.size > LOGS_KEPT) kept.delete(kept.keys().next().value as string);
  return events;
}

/** Every release's events after the one with id `afterId`, oldest first, at most `limit`: a page of a feed. */
export async function listEventsAfter(store: Store, afterId: number, limit: number): Promise<ReleaseEvent[]> {
  const rows = await store.db.selectFrom('release_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map(toEvent);
}

async function selectEvents(db: Kysely<Database>, id: string): Promise<ReleaseEvent[]> {
  const rows = await db.selectFrom('release_events').selectAll().where('release_id', '=', id).orderBy('seq').execute();
  return rows.map(toEvent);
}

/** The release and its log as they are once `mutation` is applied at `now`: what a decision's next step sees. Pure. */
export function applyMutation(release: ReleaseRecord, events: readonly LoggedEvent[], mutation: Mutation, now: Date): { release: ReleaseRecord; events: LoggedEvent[] } {
  const at = now.toISOString();
  const via = mutation.tokenId === undefined ? {} : { tokenId: mutation.tokenId };
  const added = mutation.events.map((data, index) => ({ releaseId: release.id, seq: release.seq + index + 1, at, actor: mutation.actor, ...via, data }));
  const patch = mutation.patch ?? {};
  const changed: ReleaseRecord = {
    ...release,
    seq: release.seq + added.length,
    updatedAt: added.length > 0 || mutation.patch !== undefined ? at : release.updatedAt,
    ...(patch.state === undefined ? {} : { state: patch.state }),
    ...(patch.commit === undefined ? {} : { commit: patch.commit }),
    ...(patch.postmortemUrl === undefined ? {} : { postmortemUrl: patch.postmortemUrl }),
  };
  return { release: changed, events: [...events, ...added] };
}

/**
 * The one way a release changes: under the write lock, read it and its log, let `decide` (pure, may
 * throw a user error) say what to append and change, then append and update together. A decision
 * that throws, or returns null, leaves the store exactly as it was.
 */
export async function mutateRelease(store: Store, id: string, decide: Decide): Promise<Mutated> {
  return releaseTransaction(store, id, ({ release, events, now, write }) => write(decide(release, events, now)));
}

/** What a release transaction sees under the release's lock, and how it records a decision. */
export interface ReleaseTransaction {
  /** The transaction, for the rows a decision writes besides the release's (jobs, deployments). */
  readonly tx: StoreDb;
  readonly release: ReleaseRecord;
  readonly events: readonly ReleaseEvent[];
  /** The database's clock at the start of the transaction: the time the events will carry. */
  readonly now: Date;
  /** Appends and updates what `decided` says (at most once per transaction). */
  write(decided: Mutation | readonly Mutation[] | null): Promise<Mutated>;
}

/**
 * mutateRelease for decisions that write more than the release: under the release's write lock,
 * `work` reads what it needs, writes the decision with `write` and its other rows (the jobs and
 * deployments it causes) through `tx`, all in one transaction; a throw leaves the store as it was.
 */
export async function releaseTransaction<T>(store: StoreDb, id: string, work: (transaction: ReleaseTransaction) => Promise<T>): Promise<T> {
  return writeTransaction(store.db, store.dialect, async (db) => {
    let query = db.selectFrom('releases').selectAll().where('id', '=', id);
    if (store.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw unknownRelease(id);
    const release = toRecord(row);
    const at = await databaseNow(db, store.dialect);
    const now = new Date(at);
    const events = await selectEvents(db, id);
    const write = (decided: Mutation | readonly Mutation[] | null) => writeDecision(db, store.dialect, release, events, now, decided);
    return work({ tx: { db, dialect: store.dialect }, release, events, now, write });
  });
}

async function writeDecision(db: Kysely<Database>, dialect: Store['dialect'], release: ReleaseRecord, events: readonly ReleaseEvent[], now: Date, decided: Mutation | readonly Mutation[] | null): Promise<Mutated> {
  const id = release.id;
  const steps = (decided === null ? [] : isMutationList(decided) ? decided : [decided]).filter((step) => step.events.length > 0 || step.patch !== undefined);
  let after: { release: ReleaseRecord; events: LoggedEvent[] } = { release, events: [...events] };
  for (const step of steps) after = applyMutation(after.release, after.events, step, now);
  if (after.release === release) return { release, appended: [] };
  const appended = await appendEvents(db, dialect, after.events.slice(events.length));
  const changes = {
    seq: after.release.seq,
    updated_at: after.release.updatedAt,
    state: after.release.state,
    commit_sha: after.release.commit,
    postmortem_url: after.release.postmortemUrl,
  };
  const result = await db.updateTable('releases').set(changes).where('id', '=', id).where('seq', '=', release.seq).executeTakeFirst();
  // The lock makes this unreachable; the seq check is the belt to its braces (and stops a second write in one transaction).
  if (Number(result.numUpdatedRows) !== 1) throw new ShipgateError('ECONFLICT', `${id} changed while this command ran`, { category: 'conflict', hint: 'run the command again' });
  // The row as updated, without reading it back: the changes are all that moved under the lock.
  return { release: after.release, appended };
}

function isMutationList(decided: Mutation | readonly Mutation[]): decided is readonly Mutation[] {
  return Array.isArray(decided);
}

export function unknownRelease(id: string): ShipgateError {
  return new ShipgateError('ERELEASE', `unknown release ${id}`, {
    category: 'not-found',
    hint: 'list releases with `shipgate release list`, or open one with `shipgate release create <component>`',
    next: { action: 'list-releases', args: {} },
  });
}

function alreadyExists(id: string, state: string): ShipgateError {
  return new ShipgateError('EEXISTS', `release ${id} already exists (${state})`, {
    category: 'conflict',
    hint: `see it with \`shipgate release show ${id}\`; a released version is never reused`,
    next: { action: 'show-release', args: { release: id } },
  });
}

function toRecord(row: Selectable<ReleasesTable>): ReleaseRecord {
  return {
    id: row.id,
    component: row.component,
    kind: row.kind,
    path: row.path,
    version: row.version,
    tag: row.tag,
    lastTag: row.last_tag,
    bump: row.bump as Bump,
    type: row.type as ReleaseType,
    breaking: Number(row.breaking) === 1,
    state: row.state as ReleaseState,
    trainDate: row.train_date,
    commit: row.commit_sha,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    seq: Number(row.seq),
    postmortemUrl: row.postmortem_url,
  };
}

function eventRow(event: LoggedEvent): Omit<Selectable<ReleaseEventsTable>, 'id'> {
  const { kind, version, text } = encodeEventData(event.data);
  return { release_id: event.releaseId, seq: event.seq, at: event.at, actor: event.actor, kind, data_version: version, data: text, token_id: event.tokenId ?? null };
}

function toEvent(row: Selectable<ReleaseEventsTable>): ReleaseEvent {
  const data = decodeEventData({ kind: row.kind, version: Number(row.data_version), text: row.data }, `event ${row.seq} of ${row.release_id}`);
  // Absent rather than null when no token was used, so the log of a CLI-only store reads as it always has.
  return { id: Number(row.id), releaseId: row.release_id, seq: Number(row.seq), at: row.at, actor: row.actor, ...(row.token_id === null ? {} : { tokenId: row.token_id }), data };
}
