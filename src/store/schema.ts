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
  /** The API token the write came through (tokens.id); null for the CLI and for shipgate's own steps. */
  token_id: string | null;
}

export interface TokensTable {
  /** The public half of a token: printed by `token list`, kept with the events it wrote. */
  id: string;
  user_email: string;
  name: string | null;
  /** SHA-256 of the secret half, hex; the secret itself is never stored. */
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  /** 'full', or 'calendar': may only read the calendar feed (api-tokens.ts). */
  scope: string;
}

export interface Database {
  releases: ReleasesTable;
  release_events: ReleaseEventsTable;
  tokens: TokensTable;
}
