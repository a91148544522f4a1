import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them; identical on SQLite and PostgreSQL (text dates, integer flags). */
export interface ReleasesTable {
  id: string;
  component: string;
  kind: string;
  path: string;
  version: string;
  tag: string | null;
  last_tag: string | null;
  bump: string;
  type: string;
  breaking: number;
  state: string;
  train_date: string | null;
  commit_sha: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  seq: number;
  postmortem_url: string | null;
}

export interface ReleaseEventsTable {
  /** Global and increasing in commit order (a reader of `id > last` misses nothing); a bigint on PostgreSQL, read as a string there. */
  id: Generated<number | string>;
  release_id: string;
  seq: number;
  at: string;
  actor: string;
  kind: string;
  /** The version of the kind's payload schema the data was written with (event-payloads.ts). */
  data_version: number;
  /** The event's data as JSON text (not jsonb), so both databases store and return the same thing. */
  data: string;
}

export interface Database {
  releases: ReleasesTable;
  release_events: ReleaseEventsTable;
}
