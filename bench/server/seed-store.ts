/**
 * Seeds a migrated shipgate store FAST for the server bench: `releases` release rows and
 * `eventsPerRelease` events each, written with bulk inserts in one transaction straight into the
 * tables (not through the use cases, which would take hours for a million events). Every payload fits
 * its schema, so the server reads the rows as it reads its own. Events are interleaved across releases
 * (every release's event 2, then every release's event 3 …), as a store filled over years is: one
 * release's log is scattered over the table and only an index finds it.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface SeedOptions {
  readonly releases: number;
  readonly eventsPerRelease: number;
  /** The candidate commit every release points at (a commit of the bench repository). */
  readonly commit: string;
  /** The tag the releases were planned from (a tag of the bench repository). */
  readonly lastTag: string;
}

const PEOPLE = ['alice@example.com', 'bob@example.com', 'lead@example.com', 'lead2@example.com', 'pm@example.com'];
const STATES = ['verified', 'verified', 'verified', 'production', 'abandoned', 'candidate', 'approved', 'rolled-back'];
const BASE = Date.parse('2023-01-02T10:00:00.000Z');

interface ReleaseRow {
  id: string;
  component: string;
  version: string;
  state: string;
  trainDate: string;
  createdAt: string;
}

/** Release i: component `billing` for every 100th (the bench reads their gates), `mNN` otherwise; newest last. */
export function seedReleases(options: SeedOptions): ReleaseRow[] {
  const rows: ReleaseRow[] = [];
  for (let i = 0; i < options.releases; i += 1) {
    const component = i % 100 === 0 ? 'billing' : `m${String(i % 100).padStart(2, '0')}`;
    const version = `${3 + Math.floor(i / 10_000)}.${Math.floor(i / 100) % 100}.0`;
    const created = new Date(BASE + i * 90 * 60_000);
    rows.push({ id: `${component}@${version}`, component, version, state: STATES[i % STATES.length]!, trainDate: created.toISOString().slice(0, 10), createdAt: created.toISOString() });
  }
  return rows;
}

function eventData(seq: number, commit: string, person: string): { kind: string; version: number; data: string } {
  if (seq === 1) return { kind: 'created', version: 2, data: JSON.stringify({ kind: 'created', commit, reasons: ['feat(billing): recurring invoices -> minor'], commits: [{ sha: commit, authoredAt: '2026-01-05T12:00:00.000Z', type: 'feat' }] }) };
  switch (seq % 4) {
    case 0:
      return { kind: 'notice', version: 1, data: JSON.stringify({ kind: 'notice', comment: `posted in #eng (${seq})` }) };
    case 1:
      return { kind: 'waiver', version: 1, data: JSON.stringify({ kind: 'waiver', gate: 'checklist.performance-tests', reason: 'measured by hand', commit }) };
    default:
      return { kind: 'approval', version: 1, data: JSON.stringify({ kind: 'approval', role: person.startsWith('lead') ? 'tech-lead' : 'module-team', commit, comment: seq % 3 === 0 ? 'LGTM' : null }) };
  }
}

/** Column values of every event, in insertion (id) order. */
function* seedEvents(releases: readonly ReleaseRow[], options: SeedOptions) {
  for (let seq = 1; seq <= options.eventsPerRelease; seq += 1) {
    for (const [index, release] of releases.entries()) {
      const person = seq === 1 ? 'rel@example.com' : PEOPLE[(seq + index) % PEOPLE.length]!;
      const { kind, version, data } = eventData(seq, options.commit, person);
      const at = new Date(Date.parse(release.createdAt) + seq * 60_000).toISOString();
      yield [release.id, seq, at, person, kind, version, data] as const;
    }
  }
}

function releaseValues(release: ReleaseRow, options: SeedOptions) {
  const updated = new Date(Date.parse(release.createdAt) + options.eventsPerRelease * 60_000).toISOString();
  return [release.id, release.component, 'module', 'modules/billing', release.version, null, options.lastTag, 'minor', 'scheduled', 0, release.state, release.trainDate, options.commit, 'rel@example.com', release.createdAt, updated, options.eventsPerRelease, null] as const;
}

const RELEASE_COLUMNS = 'id, component, kind, path, version, tag, last_tag, bump, type, breaking, state, train_date, commit_sha, created_by, created_at, updated_at, seq, postmortem_url';
const EVENT_COLUMNS = 'release_id, seq, at, actor, kind, data_version, data';

export function seedSqlite(file: string, options: SeedOptions): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const releases = seedReleases(options);
  const insertRelease = db.prepare(`INSERT INTO releases (${RELEASE_COLUMNS}) VALUES (${RELEASE_COLUMNS.split(',').map(() => '?').join(', ')})`);
  const insertEvent = db.prepare(`INSERT INTO release_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const release of releases) insertRelease.run(...releaseValues(release, options));
    for (const event of seedEvents(releases, options)) insertEvent.run(...event);
  })();
  // The planner's statistics, as a store that has lived would have them after `PRAGMA optimize`.
  db.exec('ANALYZE');
  db.close();
}

export async function seedPostgres(url: string, options: SeedOptions): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const releases = seedReleases(options);
    const releaseTypes = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'text'];
    const columns = releaseTypes.map(() => [] as unknown[]);
    for (const release of releases) releaseValues(release, options).forEach((value, index) => columns[index]!.push(value));
    await client.query(`INSERT INTO releases (${RELEASE_COLUMNS}) SELECT * FROM unnest(${releaseTypes.map((type, index) => `$${index + 1}::${type}[]`).join(', ')})`, columns);
    const eventTypes = ['text', 'int', 'text', 'text', 'text', 'int', 'text'];
    let batch = eventTypes.map(() => [] as unknown[]);
    const flush = async () => {
      if (batch[0]!.length === 0) return;
      await client.query(`INSERT INTO release_events (${EVENT_COLUMNS}) SELECT * FROM unnest(${eventTypes.map((type, index) => `$${index + 1}::${type}[]`).join(', ')})`, batch);
      batch = eventTypes.map(() => [] as unknown[]);
    };
    for (const event of seedEvents(releases, options)) {
      event.forEach((value, index) => batch[index]!.push(value));
      if (batch[0]!.length >= 50_000) await flush();
    }
    await flush();
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
