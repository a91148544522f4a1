import { sql, type Kysely, type Migration, type QueryExecutorProvider, type RawBuilder } from 'kysely';
import { fillDeployLeads } from './first-deploys.js';
import { writeDeployRecords } from './metrics-queries.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The store's schema, one migration per version, run on open by migrateStore: all pending ones and
 * their kysely_migration records in one transaction. Never edit a migration that has shipped: add the
 * next one.
 */
export function storeMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-releases-and-events': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('releases')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('component', 'text', (col) => col.notNull())
          .addColumn('kind', 'text', (col) => col.notNull())
          .addColumn('path', 'text', (col) => col.notNull())
          .addColumn('version', 'text', (col) => col.notNull())
          .addColumn('tag', 'text')
          .addColumn('last_tag', 'text')
          .addColumn('bump', 'text', (col) => col.notNull())
          .addColumn('type', 'text', (col) => col.notNull())
          .addColumn('breaking', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('state', 'text', (col) => col.notNull())
          .addColumn('train_date', 'text')
          .addColumn('commit_sha', 'text', (col) => col.notNull())
          .addColumn('created_by', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('updated_at', 'text', (col) => col.notNull())
          .addColumn('seq', 'integer', (col) => col.notNull())
          .addColumn('postmortem_url', 'text')
          .addUniqueConstraint('releases_component_version', ['component', 'version'])
          .execute();
        await db.schema.createIndex('releases_by_component').on('releases').columns(['component', 'created_at']).execute();
        await db.schema
          .createTable('release_events')
          .addColumn('release_id', 'text', (col) => col.notNull().references('releases.id'))
          .addColumn('seq', 'integer', (col) => col.notNull())
          .addColumn('at', 'text', (col) => col.notNull())
          .addColumn('actor', 'text', (col) => col.notNull())
          .addColumn('kind', 'text', (col) => col.notNull())
          .addColumn('data', 'text', (col) => col.notNull())
          // (release, seq) is unique: two writers can never both append event n.
          .addPrimaryKeyConstraint('release_events_pk', ['release_id', 'seq'])
          .execute();
        // The log is append-only in the database itself, not just by convention in this code.
        if (dialect === 'sqlite') {
          await sql`CREATE TRIGGER release_events_no_update BEFORE UPDATE ON release_events BEGIN SELECT RAISE(ABORT, 'release events are append-only'); END`.execute(db);
          await sql`CREATE TRIGGER release_events_no_delete BEFORE DELETE ON release_events BEGIN SELECT RAISE(ABORT, 'release events are append-only'); END`.execute(db);
        } else {
          await sql`CREATE FUNCTION shipgate_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'release events are append-only'; END $$`.execute(db);
          await sql`CREATE TRIGGER release_events_append_only BEFORE UPDATE OR DELETE ON release_events FOR EACH ROW EXECUTE FUNCTION shipgate_append_only()`.execute(db);
        }
      },
    },
    '0002-event-ids': {
      // Rebuilds release_events with a global id (for paging, feeds and metrics) and the version of
      // each row's payload schema. Rows written before keep their order: by time, then as they were.
      async up(db: Kysely<unknown>) {
        await sql`ALTER TABLE release_events RENAME TO release_events_0001`.execute(db);
        if (dialect === 'sqlite') {
          await sql`CREATE TABLE release_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            release_id text NOT NULL REFERENCES releases (id),
            seq integer NOT NULL,
            at text NOT NULL,
            actor text NOT NULL,
            kind text NOT NULL,
            data_version integer NOT NULL,
            data text NOT NULL,
            CONSTRAINT release_events_release_seq UNIQUE (release_id, seq)
          )`.execute(db);
        } else {
          await sql`CREATE TABLE release_events (
            id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT release_events_id PRIMARY KEY,
            release_id text NOT NULL REFERENCES releases (id),
            seq integer NOT NULL,
            at text NOT NULL,
            actor text NOT NULL,
            kind text NOT NULL,
            data_version integer NOT NULL,
            data text NOT NULL,
            CONSTRAINT release_events_release_seq UNIQUE (release_id, seq)
          )`.execute(db);
        }
        // Ids are given explicitly so the order is the one asked for, not whatever order the insert reads rows in.
        const overriding = dialect === 'postgres' ? sql`OVERRIDING SYSTEM VALUE` : sql``;
        await sql`INSERT INTO release_events (id, release_id, seq, at, actor, kind, data_version, data) ${overriding}
          SELECT row_number() OVER (ORDER BY at, release_id, seq), release_id, seq, at, actor, kind, 1, data FROM release_events_0001`.execute(db);
        if (dialect === 'postgres') {
          await sql`SELECT setval(pg_get_serial_sequence('release_events', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM release_events), false)`.execute(db);
        }
        // Dropping the old table drops its triggers: the new one gets the same guard.
        await sql`DROP TABLE release_events_0001`.execute(db);
        if (dialect === 'sqlite') {
          await sql`CREATE TRIGGER release_events_no_update BEFORE UPDATE ON release_events BEGIN SELECT RAISE(ABORT, 'release events are append-only'); END`.execute(db);
          await sql`CREATE TRIGGER release_events_no_delete BEFORE DELETE ON release_events BEGIN SELECT RAISE(ABORT, 'release events are append-only'); END`.execute(db);
        } else {
          await sql`CREATE TRIGGER release_events_append_only BEFORE UPDATE OR DELETE ON release_events FOR EACH ROW EXECUTE FUNCTION shipgate_append_only()`.execute(db);
        }
      },
    },
    '0003-jobs': {
      async up(db: Kysely<unknown>) {
        // The durable job engine's table (src/jobs/): times are the database clock's UTC ISO text with
        // milliseconds, so text comparison orders them on both databases.
        await db.schema
          .createTable('jobs')
          .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', (col) => (dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedAlwaysAsIdentity()))
          .addColumn('kind', 'text', (col) => col.notNull())
          // Planting the same key again finds this row instead of making a second job.
          .addColumn('key', 'text', (col) => col.notNull())
          .addColumn('payload', 'text', (col) => col.notNull())
          .addColumn('state', 'text', (col) => col.notNull())
          .addColumn('run_at', 'text', (col) => col.notNull())
          .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (col) => col.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_expires_at', 'text')
          .addColumn('last_error', 'text')
          .addColumn('result', 'text')
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('updated_at', 'text', (col) => col.notNull())
          .addColumn('finished_at', 'text')
          .addUniqueConstraint('jobs_key', ['key'])
          .addCheckConstraint('jobs_state', sql`state IN ('due', 'running', 'done', 'dead')`)
          .addCheckConstraint('jobs_max_attempts', sql`max_attempts >= 1`)
          .execute();
        // What a claim looks for: due jobs by run_at, running jobs by lease expiry. Partial, so the
        // done and dead jobs that pile up over the years never weigh on a claim.
        await sql`CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 'due'`.execute(db);
        await sql`CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running'`.execute(db);
        await sql`CREATE INDEX jobs_by_state ON jobs (state, id)`.execute(db);
      },
    },
    '0004-tokens': {
      async up(db: Kysely<unknown>) {
        // The server's API tokens: only a hash of each secret is kept, so a copy of the store gives
        // nobody a token that works. The id is the public half that names a token (list, revoke, logs).
        await db.schema
          .createTable('tokens')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('user_email', 'text', (col) => col.notNull())
          .addColumn('name', 'text')
          .addColumn('secret_hash', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();
        // Which token a write came through (never the token itself); null for the CLI and for shipgate.
        // Adding a column is no UPDATE: the append-only triggers stay as they are.
        await sql`ALTER TABLE release_events ADD COLUMN token_id text`.execute(db);
      },
    },
    '0005-release-list-indexes': {
      async up(db: Kysely<unknown>) {
        // The release list pages newest first over every component (created_at, id), and a due
        // timeline step finds the releases of its train date: both by index, not by a scan that
        // grows with the years of releases a store keeps.
        await db.schema.createIndex('releases_by_created').on('releases').columns(['created_at', 'id']).execute();
        await db.schema.createIndex('releases_by_train_date').on('releases').columns(['train_date']).execute();
      },
    },
    '0006-deployments': {
      async up(db: Kysely<unknown>) {
        // Every deploy and rollback of a component to an environment (src/store/deployments.ts).
        await db.schema
          .createTable('deployments')
          .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', (col) => (dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedAlwaysAsIdentity()))
          // Null for a rollback to a version shipgate did not release.
          .addColumn('release_id', 'text', (col) => col.references('releases.id'))
          .addColumn('component', 'text', (col) => col.notNull())
          .addColumn('environment', 'text', (col) => col.notNull())
          .addColumn('version', 'text', (col) => col.notNull())
          .addColumn('release_type', 'text')
          .addColumn('kind', 'text', (col) => col.notNull())
          // What ran before, as the target said when the deploy began.
          .addColumn('previous_version', 'text')
          .addColumn('phase', 'text', (col) => col.notNull())
          .addColumn('pipeline', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('actor', 'text', (col) => col.notNull())
          .addColumn('reason', 'text')
          .addColumn('started_at', 'text', (col) => col.notNull())
          .addColumn('rolled_out_at', 'text')
          .addColumn('finished_at', 'text')
          .addColumn('outcome', 'text')
          .addColumn('rolled_back_by', dialect === 'sqlite' ? 'integer' : 'bigint', (col) => col.references('deployments.id'))
          .addCheckConstraint('deployments_kind', sql`kind IN ('deploy', 'rollback')`)
          .addCheckConstraint('deployments_phase', sql`phase IN ('deploy', 'smoke', 'analysis', 'done')`)
          .addCheckConstraint('deployments_outcome', sql`outcome IS NULL OR outcome IN ('succeeded', 'failed', 'rolled-back', 'paused')`)
          .execute();
        // A release is deployed to an environment once: a second deploy finds this row instead.
        await sql`CREATE UNIQUE INDEX deployments_once ON deployments (release_id, environment) WHERE kind = 'deploy'`.execute(db);
        await sql`CREATE INDEX deployments_by_target ON deployments (component, environment, id)`.execute(db);
      },
    },
    '0007-metrics': {
      async up(db: Kysely<unknown>) {
        // Incidents, recorded by `shipgate record incident` or an issue webhook (src/store/incidents.ts).
        await db.schema
          .createTable('incidents')
          .addColumn('id', 'text', (col) => col.primaryKey())
          // Null: not tied to a component (it counts against the organization's latest production deploy).
          .addColumn('component', 'text')
          .addColumn('opened_at', 'text', (col) => col.notNull())
          .addColumn('resolved_at', 'text')
          .addColumn('source', 'text', (col) => col.notNull())
          .addColumn('actor', 'text', (col) => col.notNull())
          .addColumn('recorded_at', 'text', (col) => col.notNull())
          .execute();
        await db.schema.createIndex('incidents_by_time').on('incidents').columns(['opened_at']).execute();
        // Each webhook delivery is taken once: a replay of its id finds this row and records nothing.
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('event', 'text', (col) => col.notNull())
          .addColumn('received_at', 'text', (col) => col.notNull())
          .execute();
        // What the metrics read: an environment's deploys in a time range, without a scan of the table.
        await sql`CREATE INDEX deployments_by_time ON deployments (environment, started_at)`.execute(db);
        // The commits each release carries, copied out of its `created` event once (as Four Keys keeps a
        // `changes` table beside its raw events), so the metrics never parse the event log's JSON again.
        await db.schema
          .createTable('metric_commits')
          .addColumn('release_id', 'text', (col) => col.notNull())
          .addColumn('sha', 'text', (col) => col.notNull())
          .addColumn('authored_ms', 'double precision', (col) => col.notNull())
          .addColumn('feature', 'integer', (col) => col.notNull())
          .addPrimaryKeyConstraint('metric_commits_pk', ['release_id', 'sha'])
          .execute();
        // How far through the event log (release_events.id, in commit order) metric_commits has read.
        await db.schema
          .createTable('metric_watermarks')
          .addColumn('name', 'text', (col) => col.primaryKey())
          .addColumn('event_id', 'bigint', (col) => col.notNull())
          .execute();
      },
    },
    '0008-deliveries': {
      async up(db: Kysely<unknown>) {
        // One row per message (release, communication step, channel), written before the message is
        // sent: its id goes out with it (a header, the Message-ID), so a send that may have happened
        // before a crash is known as such (src/store/deliveries.ts). Never a secret in any column.
        await db.schema
          .createTable('deliveries')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('key', 'text', (col) => col.notNull())
          .addColumn('release_id', 'text', (col) => col.notNull().references('releases.id'))
          .addColumn('step', 'text', (col) => col.notNull())
          .addColumn('channel', 'text', (col) => col.notNull())
          // JSON: the resolved target (its kind, the names of the variables holding its secrets, addresses).
          .addColumn('target', 'text', (col) => col.notNull())
          .addColumn('subject', 'text', (col) => col.notNull())
          .addColumn('body', 'text', (col) => col.notNull())
          .addColumn('due_at', 'text', (col) => col.notNull())
          .addColumn('state', 'text', (col) => col.notNull())
          .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
          // The job attempt that last started a send: an older attempt may not record over a newer one.
          .addColumn('job_attempt', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('updated_at', 'text', (col) => col.notNull())
          .addColumn('sent_at', 'text')
          .addUniqueConstraint('deliveries_key', ['key'])
          .addCheckConstraint('deliveries_state', sql`state IN ('planned', 'sending', 'sent', 'failed', 'uncertain')`)
          .execute();
        await db.schema.createIndex('deliveries_by_release').on('deliveries').columns(['release_id', 'due_at']).execute();
      },
    },
    '0009-token-scopes': {
      // What a token may do: 'full' (everything its user may) or 'calendar' (read the calendar feed
      // only, the one credential a calendar app can carry, in its URL). Tokens made before are full.
      async up(db: Kysely<unknown>) {
        await sql`ALTER TABLE tokens ADD COLUMN scope text NOT NULL DEFAULT 'full'`.execute(db);
      },
    },
    '0010-first-deploys': {
      // Each commit's first rolled-out deploy to each environment, written when a deploy rolls out
      // (src/store/first-deploys.ts), so a report reads a window's commits by an index instead of
      // joining every deploy of the years to every commit. metric_commits is written with the
      // `created` event from now on: the watermark of the copy that filled it on each report goes.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('metric_first_deploys')
          .addColumn('environment', 'text', (col) => col.notNull())
          .addColumn('component', 'text', (col) => col.notNull())
          .addColumn('sha', 'text', (col) => col.notNull())
          // The release whose deploy carried it first.
          .addColumn('release_id', 'text', (col) => col.notNull())
          .addColumn('deployed_ms', 'double precision', (col) => col.notNull())
          .addColumn('authored_ms', 'double precision', (col) => col.notNull())
          .addColumn('feature', 'integer', (col) => col.notNull())
          .addPrimaryKeyConstraint('metric_first_deploys_pk', ['environment', 'component', 'sha'])
          .execute();
        // A window's commits by deploy time, with what a report reads in the index itself (no table lookups).
        if (dialect === 'sqlite') await sql`CREATE INDEX metric_first_deploys_by_time ON metric_first_deploys (environment, deployed_ms, component, authored_ms, feature)`.execute(db);
        else await sql`CREATE INDEX metric_first_deploys_by_time ON metric_first_deploys (environment, deployed_ms) INCLUDE (component, authored_ms, feature)`.execute(db);
        await backfillMetricTables(db, dialect);
        await db.schema.dropTable('metric_watermarks').execute();
      },
    },
    '0011-release-kinds': {
      // Each component's kind (its train) for every metrics report: from this index alone, where a
      // DISTINCT over the table read every release.
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('releases_by_component_kind').on('releases').columns(['component', 'kind']).execute();
      },
    },
    '0012-metric-reads': {
      // What a year of metrics reads, kept ready by the writes: each deployment carries its release's
      // bump (a release's bump never changes once made) and its fields packed as the metrics read them
      // (metric_record), so the deploys are read without a look-up of their release or packing each
      // row again (together, two thirds of that read); and each deploy's first-deployed commits' lead
      // times are kept as one row per deploy (metric_deploy_leads, rewritten with metric_first_deploys:
      // src/store/first-deploys.ts), so a report reads a row per deploy instead of one per commit.
      async up(db: Kysely<unknown>) {
        await sql`ALTER TABLE deployments ADD COLUMN bump text`.execute(db);
        await sql`UPDATE deployments SET bump = (SELECT r.bump FROM releases r WHERE r.id = deployments.release_id) WHERE release_id IS NOT NULL`.execute(db);
        await sql`ALTER TABLE deployments ADD COLUMN metric_record text`.execute(db);
        await writeDeployRecords(db, dialect);
        await db.schema
          .createTable('metric_deploy_leads')
          .addColumn('environment', 'text', (col) => col.notNull())
          .addColumn('component', 'text', (col) => col.notNull())
          // The release whose deploy first carried the commits, and when it rolled out (epoch ms).
          .addColumn('release_id', 'text', (col) => col.notNull())
          .addColumn('deployed_ms', 'bigint', (col) => col.notNull())
          // Each commit's lead time in whole ms, with commas, and its feature flag (0 or 1), in the same order.
          .addColumn('leads', 'text', (col) => col.notNull())
          .addColumn('features', 'text', (col) => col.notNull())
          .addPrimaryKeyConstraint('metric_deploy_leads_pk', ['environment', 'component', 'release_id'])
          .execute();
        await db.schema.createIndex('metric_deploy_leads_by_time').on('metric_deploy_leads').columns(['environment', 'deployed_ms']).execute();
        await fillDeployLeads(db, dialect);
      },
    },
  };
}

/**
 * Fills metric_commits from every `created` event and metric_first_deploys from every rolled-out
 * deploy, as the writes do one at a time from 0010 on: a store with history upgrades to the same rows
 * a new store would have. Rows already there are kept (metric_commits was filled by a copy before).
 * Exported for the metrics benchmark, which writes a year of rows in bulk past the write paths.
 */
export async function backfillMetricTables(db: QueryExecutorProvider, dialect: Dialect): Promise<void> {
  const sqlite = dialect === 'sqlite';
  const field = (name: string) => (sqlite ? sql`json_extract(j.value, ${`$.${name}`})` : sql`(j.value ->> ${name})`);
  const commitsOf = sqlite
    ? sql`json_each(e.data, '$.commits') AS j`
    : sql`LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof((e.data::jsonb)->'commits') = 'array' THEN (e.data::jsonb)->'commits' ELSE '[]'::jsonb END) AS j(value)`;
  // Epoch milliseconds of UTC ISO text with milliseconds: exact on both (what Date.parse gives).
  const epochMs = (column: RawBuilder<unknown>) => (sqlite ? sql`round((julianday(${column}) - 2440587.5) * 86400000.0)` : sql`(extract(epoch FROM (${column})::timestamptz) * 1000)::float8`);
  await sql`INSERT INTO metric_commits (release_id, sha, authored_ms, feature)
    SELECT e.release_id, ${field('sha')}, ${epochMs(field('authoredAt'))}, CASE WHEN ${field('type')} = 'feat' THEN 1 ELSE 0 END
    FROM release_events e CROSS JOIN ${commitsOf}
    WHERE e.kind = 'created'
    ON CONFLICT (release_id, sha) DO NOTHING`.execute(db);
  // The earliest deploy of each (environment, component, sha); of two at the same time, the first recorded.
  await sql`INSERT INTO metric_first_deploys (environment, component, sha, release_id, deployed_ms, authored_ms, feature)
    SELECT environment, component, sha, release_id, deployed_ms, authored_ms, feature FROM (
      SELECT d.environment, d.component, m.sha, d.release_id, ${epochMs(sql`d.rolled_out_at`)} AS deployed_ms,
        max(m.authored_ms) OVER (PARTITION BY d.environment, d.component, m.sha) AS authored_ms,
        max(m.feature) OVER (PARTITION BY d.environment, d.component, m.sha) AS feature,
        row_number() OVER (PARTITION BY d.environment, d.component, m.sha ORDER BY d.rolled_out_at, d.id) AS n
      FROM deployments d JOIN metric_commits m ON m.release_id = d.release_id
      WHERE d.kind = 'deploy' AND d.rolled_out_at IS NOT NULL
    ) firsts WHERE n = 1
    ON CONFLICT (environment, component, sha) DO NOTHING`.execute(db);
}
