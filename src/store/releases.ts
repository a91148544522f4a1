import { sql, type Kysely, type Selectable } from 'kysely';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { Bump, ReleaseType } from '../policy/schema.js';
import type { EventData, ReleaseEvent, ReleaseRecord, ReleaseState } from '../gates/types.js';
import type { Store } from './open-store.js';
import type { Database, ReleaseEventsTable, ReleasesTable } from './schema.js';

export type NewRelease = Omit<ReleaseRecord, 'id' | 'state' | 'updatedAt' | 'seq' | 'postmortemUrl'> & { readonly state: ReleaseState };

/** What a decision appends to a release's log and changes on its row, in one transaction. */
export interface Mutation {
  readonly actor: string;
  readonly at: string;
  readonly events: readonly EventData[];
  readonly patch?: { readonly state?: ReleaseState; readonly commit?: string; readonly postmortemUrl?: string };
}

export interface Mutated {
  readonly release: ReleaseRecord;
  readonly appended: readonly ReleaseEvent[];
}

export const releaseId = (component: string, version: string): string => `${component}@${version}`;

/**
 * Runs `work` holding the write lock: BEGIN IMMEDIATE on SQLite (the whole file; other processes
 * wait on the busy timeout) and a transaction on PostgreSQL whose reads of a release take its row
 * lock (SELECT … FOR UPDATE). Either way two writers of one release run one after the other.
 */
async function writeTransaction<T>(store: Store, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') return store.db.transaction().execute(work);
  return store.db.connection().execute(async (db) => {
    await sql`BEGIN IMMEDIATE`.execute(db);
    try {
      const result = await work(db);
      await sql`COMMIT`.execute(db);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(db);
      throw error;
    }
  });
}

export async function createRelease(store: Store, release: NewRelease, created: EventData & { kind: 'created' }): Promise<ReleaseRecord> {
  const id = releaseId(release.component, release.version);
  try {
    return await writeTransaction(store, async (db) => {
      const existing = await db.selectFrom('releases').select(['id', 'state']).where('id', '=', id).executeTakeFirst();
      if (existing) throw alreadyExists(id, existing.state);
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
        created_at: release.createdAt,
        updated_at: release.createdAt,
        seq: 1,
        postmortem_url: null,
      };
      await db.insertInto('releases').values(row).execute();
      await db.insertInto('release_events').values(eventRow({ releaseId: id, seq: 1, at: release.createdAt, actor: release.createdBy, data: created })).execute();
      return toRecord(row);
    });
  } catch (error) {
    // Two PostgreSQL sessions inserting the same new release: the loser hits the primary key.
    if ((error as { code?: string }).code === '23505') throw alreadyExists(id, 'planned');
    throw error;
  }
}

export async function getRelease(store: Store, id: string): Promise<ReleaseRecord | undefined> {
  const row = await store.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** The component's releases, newest first. */
export async function listReleases(store: Store, filter: { component?: string } = {}): Promise<ReleaseRecord[]> {
  let query = store.db.selectFrom('releases').selectAll();
  if (filter.component !== undefined) query = query.where('component', '=', filter.component);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toRecord);
}

export function listEvents(store: Store, id: string): Promise<ReleaseEvent[]> {
  return selectEvents(store.db, id);
}

async function selectEvents(db: Kysely<Database>, id: string): Promise<ReleaseEvent[]> {
  const rows = await db.selectFrom('release_events').selectAll().where('release_id', '=', id).orderBy('seq').execute();
  return rows.map(toEvent);
}

/**
 * The one way a release changes: under the write lock, read it and its log, let `decide` (pure, may
 * throw a user error) say what to append and change, then append and update together. A decision
 * that throws, or returns null, leaves the store exactly as it was.
 */
export async function mutateRelease(
  store: Store,
  id: string,
  decide: (release: ReleaseRecord, events: readonly ReleaseEvent[]) => Mutation | null,
): Promise<Mutated> {
  return writeTransaction(store, async (db) => {
    let query = db.selectFrom('releases').selectAll().where('id', '=', id);
    if (store.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw unknownRelease(id);
    const release = toRecord(row);
    const events = await selectEvents(db, id);
    const mutation = decide(release, events);
    if (mutation === null || (mutation.events.length === 0 && mutation.patch === undefined)) return { release, appended: [] };
    const appended: ReleaseEvent[] = mutation.events.map((data, index) => ({ releaseId: id, seq: release.seq + index + 1, at: mutation.at, actor: mutation.actor, data }));
    for (const event of appended) await db.insertInto('release_events').values(eventRow(event)).execute();
    const patch = mutation.patch ?? {};
    const changes = {
      seq: release.seq + appended.length,
      updated_at: mutation.at,
      ...(patch.state === undefined ? {} : { state: patch.state }),
      ...(patch.commit === undefined ? {} : { commit_sha: patch.commit }),
      ...(patch.postmortemUrl === undefined ? {} : { postmortem_url: patch.postmortemUrl }),
    };
    const result = await db.updateTable('releases').set(changes).where('id', '=', id).where('seq', '=', release.seq).executeTakeFirst();
    // The lock makes this unreachable; the seq check is the belt to its braces.
    if (Number(result.numUpdatedRows) !== 1) throw new ShipgateError('ECONFLICT', `${id} changed while this command ran`, { category: 'conflict', hint: 'run the command again' });
    // The row as updated, without reading it back: the changes are all that moved under the lock.
    return { release: toRecord({ ...row, ...changes }), appended };
  });
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

function eventRow(event: ReleaseEvent): Selectable<ReleaseEventsTable> {
  return { release_id: event.releaseId, seq: event.seq, at: event.at, actor: event.actor, kind: event.data.kind, data: JSON.stringify(event.data) };
}

function toEvent(row: Selectable<ReleaseEventsTable>): ReleaseEvent {
  return { releaseId: row.release_id, seq: Number(row.seq), at: row.at, actor: row.actor, data: JSON.parse(row.data) as EventData };
}
