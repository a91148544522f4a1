import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../src/app/api-tokens.js';
import { cachedAuthentication } from '../src/server/cache-tokens.js';
import type { Store } from '../src/store/open-store.js';
import { billingRepo, PEOPLE } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { serverApp } from './helpers/server-app.js';
import { freshStore, storeBackends } from './helpers/stores.js';

describe.each(storeBackends())('the API remembers an accepted token for a few seconds on $name', (backend) => {
  let repo: TestRepo;
  let store: Store | undefined;
  beforeAll(() => {
    repo = billingRepo();
  });
  afterAll(() => repo.cleanup());
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('a revoked token stops working within the 5 s it may be remembered, and an unknown one is never remembered', async () => {
    ({ store } = await freshStore(backend));
    let now = 1_000_000;
    const { call, token } = serverApp(store, repo.dir, { authenticate: cachedAuthentication(store, { ttlMs: 5000, clock: () => now }) });
    const bob = await token(PEOPLE.bob);
    expect((await call('GET', '/api/v1/releases', { token: bob })).status).toBe(200);
    await revokeApiToken(store, bob.split('_')[1] ?? '');
    now += 4000;
    // The documented window: the server that had just accepted it still does, for less than 5 s.
    expect((await call('GET', '/api/v1/releases', { token: bob })).status).toBe(200);
    now += 1000;
    const refused = await call('GET', '/api/v1/releases', { token: bob });
    expect([refused.status, refused.json.detail]).toEqual([401, 'the token was revoked']);
    // A refusal is asked of the store every time: a token made valid again (by hand) works at once.
    await sql`UPDATE tokens SET revoked_at = NULL`.execute(store.db);
    expect((await call('GET', '/api/v1/releases', { token: bob })).status).toBe(200);
  });

  it('a remembered token still expires on time', async () => {
    ({ store } = await freshStore(backend));
    const { call, token } = serverApp(store, repo.dir);
    const alice = await token(PEOPLE.alice, { expires: '1h' });
    // Expiring 1.5 s from now by the store's clock, then used at once: accepted and remembered.
    const soon = store.dialect === 'sqlite' ? sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1.5 seconds')` : sql`to_char((clock_timestamp() + interval '1.5 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    await sql`UPDATE tokens SET expires_at = ${soon}`.execute(store.db);
    expect((await call('GET', '/api/v1/releases', { token: alice })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const refused = await call('GET', '/api/v1/releases', { token: alice });
    expect([refused.status, refused.json.detail]).toEqual([401, 'the token has expired']);
  });
});
