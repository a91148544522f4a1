import { Validator } from '@seriousme/openapi-schema-validator';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failureLimiter } from '../src/server/auth.js';
import { storeMigrations } from '../src/store/migrations.js';
import type { Store } from '../src/store/open-store.js';
import { billingRepo, commitDocs, PEOPLE, putPassingReports } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { serverApp } from './helpers/server-app.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const RELEASE = '/api/v1/releases/billing@2.1.0';

/** Everything a refused request could have written, to compare before and after. */
async function written(store: Store): Promise<string> {
  const count = async (table: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(store.db)).rows[0]?.n ?? 0);
  const releases = await store.db.selectFrom('releases').select(['id', 'state', 'seq', 'commit_sha']).orderBy('id').execute();
  return JSON.stringify({ events: await count('release_events'), releases, tokens: await count('tokens'), jobs: await count('jobs') });
}

describe.each(storeBackends())('the HTTP API in-process on $name', (backend) => {
  let repo: TestRepo;
  let store: Store | undefined;
  beforeAll(() => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
  });
  afterAll(() => repo.cleanup());
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  const open = async () => {
    ({ store } = await freshStore(backend));
    return serverApp(store, repo.dir);
  };

  it('reads and writes a release with the token\'s user as the actor and the token\'s id in its log', async () => {
    const { call, token } = await open();
    const [releaser, alice, bob, lead] = await Promise.all([token(PEOPLE.releaser), token(PEOPLE.alice), token(PEOPLE.bob), token(PEOPLE.lead)]);
    const created = await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'billing@2.1.0', state: 'candidate', createdBy: PEOPLE.releaser, bump: 'minor' });

    const approved = await call('POST', `${RELEASE}/approvals`, { token: alice, body: { role: 'module-team', comment: 'LGTM' } });
    expect([approved.status, approved.json.recorded, approved.json.count, approved.json.needed]).toEqual([200, true, 1, 2]);
    // One person counts once: the same approval again is accepted and not counted.
    const again = await call('POST', `${RELEASE}/approvals`, { token: alice, body: { role: 'module-team' } });
    expect([again.status, again.json.recorded, again.json.count]).toEqual([200, false, 1]);
    expect((await call('POST', `${RELEASE}/approvals`, { token: bob, body: { role: 'module-team' } })).json).toMatchObject({ recorded: true, count: 2 });
    const waived = await call('POST', `${RELEASE}/waivers`, { token: lead, body: { gate: 'versioning.notice', reason: 'announced at the all-hands' } });
    expect([waived.status, waived.json.gate]).toEqual([200, 'versioning.notice']);
    const noticed = await call('POST', `${RELEASE}/notices`, { token: releaser, body: { comment: 'posted in #eng' } });
    expect([noticed.status, noticed.json.first]).toEqual([200, true]);
    const attached = await call('POST', `${RELEASE}/postmortem`, { token: lead, body: { url: 'https://wiki.example.com/pm/7' } });
    expect([attached.status, attached.json.postmortemUrl]).toEqual([200, 'https://wiki.example.com/pm/7']);
    const candidate = await call('POST', `${RELEASE}/candidate`, { token: releaser, body: {} });
    expect([candidate.status, candidate.json.changed]).toEqual([200, false]);

    const shown = await call('GET', RELEASE, { token: alice });
    expect(shown.status).toBe(200);
    const events = shown.json.events as unknown as { actor: string; tokenId?: string; data: { kind: string } }[];
    const ids = Object.fromEntries(await Promise.all([releaser, alice, bob, lead].map(async (t) => [t, /^sgt_([0-9a-f]{16})_/.exec(t)?.[1]])));
    // Each person's event carries the id of the token it came through; shipgate's own steps carry none.
    expect(events.map((event) => [event.data.kind, event.actor, event.tokenId ?? null])).toEqual([
      ['created', PEOPLE.releaser, ids[releaser]],
      ['approval', PEOPLE.alice, ids[alice]],
      ['approval', PEOPLE.bob, ids[bob]],
      ['waiver', PEOPLE.lead, ids[lead]],
      ['notice', PEOPLE.releaser, ids[releaser]],
      ['postmortem', PEOPLE.lead, ids[lead]],
    ]);
    for (const t of [releaser, alice, bob, lead]) expect(shown.text).not.toContain(t);

    const gates = await call('GET', `${RELEASE}/gates`, { token: alice });
    expect(gates.status).toBe(200);
    const lead2 = (gates.json.gates as unknown as { id: string; next: string | null; nextStep: unknown }[]).find((gate) => gate.id === 'approvals.tech-lead-sign-off');
    // The next step as data, and in the API's words: the request that does it.
    expect(lead2).toMatchObject({ nextStep: { action: 'approve', args: { release: 'billing@2.1.0', role: 'tech-lead' } }, next: expect.stringContaining('POST /api/v1/releases/billing%402.1.0/approvals {"role": "tech-lead"}') });

    const list = await call('GET', '/api/v1/releases?component=billing', { token: bob });
    expect((list.json as unknown as { id: string }[]).map((release) => release.id)).toEqual(['billing@2.1.0']);
    const abandoned = await call('POST', `${RELEASE}/abandon`, { token: releaser, body: { reason: 'replaced' } });
    expect([abandoned.status, abandoned.json.state]).toEqual([200, 'abandoned']);
    const closed = await call('POST', `${RELEASE}/approvals`, { token: lead, body: { role: 'tech-lead' } });
    expect([closed.status, closed.json.code]).toEqual([409, 'ESTATE']);
  });

  it('answers the reads the CLI has: policy, calendar (JSON and iCalendar), freeze, components, plan, notes, jobs', async () => {
    const { call, token } = await open();
    const t = await token(PEOPLE.outsider);
    const policy = await call('GET', '/api/v1/policy', { token: t });
    expect(policy.json).toMatchObject({ version: 1, roles: { 'tech-lead': { members: [PEOPLE.lead, PEOPLE.lead2] } } });
    const calendar = await call('GET', '/api/v1/calendar?from=2026-02-01&to=2026-02-28&train=module', { token: t });
    expect(calendar.status).toBe(200);
    expect((calendar.json.events as unknown as { train: string; date: string }[]).map((event) => [event.train, event.date])).toEqual([
      ['module', '2026-02-03'],
      ['module', '2026-02-17'],
    ]);
    const ics = await call('GET', '/api/v1/calendar.ics?from=2026-02-01&to=2026-02-28', { token: t });
    expect([ics.status, ics.headers.get('content-type')]).toEqual([200, 'text/calendar; charset=utf-8']);
    expect(ics.text).toMatch(/^BEGIN:VCALENDAR\r?\n/);
    const freeze = await call('GET', '/api/v1/freeze?at=2026-02-16T12:00&train=module', { token: t });
    expect(freeze.json).toMatchObject({ trains: [{ train: 'module', frozen: true }] });
    const components = await call('GET', '/api/v1/components', { token: t });
    expect(components.json).toMatchObject({ type: 'scheduled', components: [{ name: 'billing', currentVersion: '2.0.0', nextVersion: '2.1.0' }] });
    const hotfix = await call('GET', '/api/v1/plan?type=hotfix&train=module', { token: t });
    expect((hotfix.json.components as unknown as { problems: string[] }[])[0]?.problems.length).toBeGreaterThan(0);
    const markdown = await call('GET', '/api/v1/notes/billing?date=2026-02-17', { token: t });
    expect([markdown.status, markdown.headers.get('content-type')]).toEqual([200, 'text/markdown; charset=utf-8']);
    expect(markdown.text).toMatch(/^# Billing v2\.1\.0/);
    expect((await call('GET', '/api/v1/notes/billing?format=html', { token: t })).text).toMatch(/<h1[^>]*>Billing v2\.1\.0<\/h1>/);
    expect((await call('GET', '/api/v1/notes/billing?format=json', { token: t })).json).toMatchObject({ component: 'billing', version: '2.1.0' });
    expect((await call('GET', '/api/v1/jobs?state=due&limit=5', { token: t })).json).toEqual({ jobs: [], next: null });
    const unknownTrain = await call('GET', '/api/v1/calendar?train=nope', { token: t });
    expect([unknownTrain.status, unknownTrain.json.detail, unknownTrain.json.hint]).toEqual([404, 'unknown train "nope"', 'known trains: module, platform, product']);
  });

  it('refuses what the CLI refuses, with its message and hint: 401, 403, 404, 409, 422, and writes nothing', async () => {
    const { call, token, app } = await open();
    const releaser = await token(PEOPLE.releaser);
    const outsider = await token(PEOPLE.outsider);
    const lead = await token(PEOPLE.lead);
    expect((await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } })).status).toBe(201);
    const expired = await token(PEOPLE.alice, { expires: '1h' });
    await sql`UPDATE tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE user_email = ${PEOPLE.alice}`.execute(store!.db);
    const revoked = await token(PEOPLE.bob);
    await sql`UPDATE tokens SET revoked_at = '2026-01-01T00:00:00.000Z' WHERE user_email = ${PEOPLE.bob}`.execute(store!.db);
    const before = await written(store!);

    const approve = (headers: Record<string, string>) => app.request(`${RELEASE}/approvals`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"role":"module-team"}' });
    const unauthorized: [string, Record<string, string>, string][] = [
      ['missing', {}, 'no Authorization header'],
      ['not bearer', { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'is not "Bearer <token>"'],
      ['malformed', { Authorization: 'Bearer sgt_123' }, 'is not "Bearer <token>"'],
      ['unknown', { Authorization: `Bearer sgt_${'0'.repeat(16)}_${'A'.repeat(43)}` }, 'not known'],
      ['a known id with a wrong secret', { Authorization: `Bearer ${releaser.slice(0, -3)}AAA` }, 'not known'],
      ['expired', { Authorization: `Bearer ${expired}` }, 'expired'],
      ['revoked', { Authorization: `Bearer ${revoked}` }, 'revoked'],
    ];
    for (const [what, headers, detail] of unauthorized) {
      const response = await approve(headers);
      const body = (await response.json()) as { status: number; detail: string };
      expect([what, response.status, response.headers.get('content-type'), response.headers.get('www-authenticate')]).toEqual([what, 401, 'application/problem+json', 'Bearer realm="shipgate"']);
      expect(body.detail).toContain(detail);
    }

    const selfApproval = await call('POST', `${RELEASE}/approvals`, { token: releaser, body: { role: 'module-team' } });
    expect(selfApproval.json).toMatchObject({ status: 422, code: 'EAPPROVAL', detail: `nobody approves their own release: ${PEOPLE.releaser} created billing@2.1.0`, hint: 'ask another member of the role' });
    const notMember = await call('POST', `${RELEASE}/approvals`, { token: outsider, body: { role: 'tech-lead' } });
    expect(notMember.json).toMatchObject({ status: 403, code: 'EAPPROVAL', detail: `${PEOPLE.outsider} is not a member of tech-lead`, hint: `members (roles.tech-lead.members): ${PEOPLE.lead}, ${PEOPLE.lead2}` });
    const notWaiver = await call('POST', `${RELEASE}/waivers`, { token: outsider, body: { gate: 'versioning.notice', reason: 'x' } });
    expect(notWaiver.json).toMatchObject({ status: 403, code: 'EWAIVE' });
    const signOff = await call('POST', `${RELEASE}/waivers`, { token: lead, body: { gate: 'approvals.tech-lead-sign-off', reason: 'x' } });
    expect(signOff.json).toMatchObject({ status: 422, code: 'EWAIVE' });
    const unknown = await call('POST', '/api/v1/releases/billing@9.9.9/approvals', { token: outsider, body: { role: 'tech-lead' } });
    expect(unknown.json).toMatchObject({ status: 404, code: 'ERELEASE', detail: 'unknown release billing@9.9.9', next: { action: 'list-releases', args: {} }, nextRequest: 'GET /api/v1/releases' });
    const twice = await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } });
    expect(twice.json).toMatchObject({ status: 409, code: 'EEXISTS' });
    const hotfix = await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing', type: 'hotfix' } });
    // A hotfix that carries a feature: the rule's message and hint, as the CLI prints them.
    expect(hotfix.json).toMatchObject({ status: 422, code: 'EBUMP', detail: expect.stringMatching(/^a hotfix release may not bump MINOR/), hint: expect.stringMatching(/^cut the hotfix branch/) });
    const noComponent = await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'nope' } });
    expect(noComponent.json).toMatchObject({ status: 404, code: 'ECOMPONENT', detail: 'unknown component "nope"', hint: 'components: billing' });
    expect(await written(store!)).toBe(before);
  });

  it('bad input is a 400 naming the field, an oversized body a 413, and none of them writes anything', async () => {
    const { call, token } = await open();
    const releaser = await token(PEOPLE.releaser);
    const alice = await token(PEOPLE.alice);
    expect((await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } })).status).toBe(201);
    const before = await written(store!);
    const bad: [string, string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string | undefined][] = [
      ['malformed JSON', `${RELEASE}/approvals`, { raw: '{"role": "module-team"' }, 400, undefined],
      ['a number for a string', `${RELEASE}/approvals`, { body: { role: 5 } }, 400, 'body.role'],
      ['a missing field', `${RELEASE}/waivers`, { body: { gate: 'versioning.notice' } }, 400, 'body.reason'],
      ['an unknown field', `${RELEASE}/approvals`, { body: { role: 'module-team', as: PEOPLE.lead } }, 400, 'body'],
      ['an array for an object', `${RELEASE}/notices`, { body: [] }, 400, 'body'],
      ['no body at all', `${RELEASE}/approvals`, { raw: '' }, 400, undefined],
      ['not JSON', `${RELEASE}/approvals`, { raw: 'role=module-team', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, undefined],
      ['a URL that is not one', `${RELEASE}/postmortem`, { body: { url: 'javascript:alert(1)' } }, 400, undefined],
      ['a component with ../', '/api/v1/releases', { body: { component: '../../etc' } }, 400, 'body.component'],
      ['a component with SQL', '/api/v1/releases', { body: { component: "billing'; DROP TABLE releases;--" } }, 400, 'body.component'],
      ['a release id with ../', '/api/v1/releases/..%2F..%2Fetc%2Fpasswd/approvals', { body: { role: 'module-team' } }, 400, 'path.id'],
      ['a release id with SQL', `/api/v1/releases/${encodeURIComponent("billing@2.1.0' OR '1'='1")}/approvals`, { body: { role: 'module-team' } }, 400, 'path.id'],
      ['a release id with a NUL', '/api/v1/releases/billing%00@2.1.0/approvals', { body: { role: 'module-team' } }, 400, 'path.id'],
      ['a body over 1 MiB', `${RELEASE}/notices`, { body: { comment: 'x'.repeat(1024 * 1024) } }, 413, undefined],
    ];
    for (const [what, path, request, status, field] of bad) {
      const response = await call('POST', path, { token: alice, ...request });
      expect([what, response.status, response.headers.get('content-type')]).toEqual([what, status, 'application/problem+json']);
      expect(response.json).toMatchObject({ status, type: expect.stringMatching(/^urn:shipgate:error:E[A-Z]+$/), title: expect.any(String), detail: expect.any(String) });
      if (field !== undefined) expect([what, response.json.field]).toEqual([what, field]);
    }
    const reads: [string, number, string][] = [
      ['/api/v1/releases/..%2F..%2Fetc', 400, 'path.id'],
      [`/api/v1/releases?component=${encodeURIComponent("x' OR 1=1 --")}`, 400, 'query.component'],
      ['/api/v1/jobs?limit=abc', 400, 'query.limit'],
      ['/api/v1/jobs?state=gone', 400, 'query.state'],
      ['/api/v1/notes/..%2Fsecret', 400, 'path.target'],
    ];
    for (const [path, status, field] of reads) expect([path, (await call('GET', path, { token: alice })).json.field]).toEqual([path, field]);
    expect((await call('GET', '/api/v1/freeze?at=yesterday', { token: alice })).json).toMatchObject({ status: 400, code: 'EDATE', detail: 'at "yesterday" is not a valid date' });
    expect(await written(store!)).toBe(before);
  });

  it('hostile input in every field writes nothing: SQL and ../ in bodies and queries, prototype keys, a wrong role, a streamed body over 1 MiB', async () => {
    const { call, token, app } = await open();
    const releaser = await token(PEOPLE.releaser);
    const alice = await token(PEOPLE.alice);
    const outsider = await token(PEOPLE.outsider);
    expect((await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } })).status).toBe(201);
    const before = await written(store!);
    const sql = "x'; DROP TABLE release_events;--";
    const bad: [string, string, unknown, string][] = [
      ['SQL in a role', `${RELEASE}/approvals`, { role: sql }, 'body.role'],
      ['../ in a role', `${RELEASE}/approvals`, { role: '../tech-lead' }, 'body.role'],
      ['SQL in a gate', `${RELEASE}/waivers`, { gate: sql, reason: 'x' }, 'body.gate'],
      ['../ in a gate', `${RELEASE}/waivers`, { gate: '../../etc/passwd', reason: 'x' }, 'body.gate'],
      ['SQL in a commit', `${RELEASE}/candidate`, { commit: `abcdef1' OR '1'='1` }, 'body.commit'],
      ['a ref for a commit', `${RELEASE}/candidate`, { commit: 'HEAD~1' }, 'body.commit'],
      ['a type that is not one', '/api/v1/releases', { component: 'billing', type: 'nightly' }, 'body.type'],
      ['a prototype key', `${RELEASE}/approvals`, JSON.parse('{"role": "module-team", "__proto__": {"admin": true}}'), 'body'],
      ['a constructor key', `${RELEASE}/notices`, { constructor: { prototype: { admin: true } } }, 'body'],
      ['null for an object', `${RELEASE}/notices`, null, 'body'],
      ['a string for an object', `${RELEASE}/abandon`, 'replaced', 'body'],
      ['an object for a string', `${RELEASE}/abandon`, { reason: { $ne: '' } }, 'body.reason'],
    ];
    for (const [what, path, body, field] of bad) {
      const response = await call('POST', path, { token: alice, raw: JSON.stringify(body) });
      expect([what, response.status, response.json.field]).toEqual([what, 400, field]);
    }
    const reads: [string, string][] = [
      [`/api/v1/releases?after=${encodeURIComponent(sql)}`, 'query.after'],
      ['/api/v1/releases?after=..%2F..%2Fetc', 'query.after'],
      ['/api/v1/releases?limit=0', 'query.limit'],
      ['/api/v1/releases?limit=100000', 'query.limit'],
      [`/api/v1/releases/billing@2.1.0/gates?at=${encodeURIComponent(sql)}`, 'EDATE'],
    ];
    for (const [path, field] of reads) {
      const response = await call('GET', path, { token: alice });
      expect([path, response.status, response.json.field ?? response.json.code]).toEqual([path, 400, field]);
    }
    // A cursor of the right shape that names no release: refused, not read as "from the start".
    expect((await call('GET', '/api/v1/releases?after=billing@9.9.9', { token: alice })).json).toMatchObject({ status: 400, detail: 'the page cursor "billing@9.9.9" names no release' });
    // A role the user does not hold, and a waiver by someone who may not waive: 403.
    expect((await call('POST', `${RELEASE}/approvals`, { token: outsider, body: { role: 'tech-lead' } })).status).toBe(403);
    expect((await call('POST', `${RELEASE}/waivers`, { token: alice, body: { gate: 'versioning.notice', reason: 'x' } })).status).toBe(403);
    // A body sent in chunks without a Content-Length is counted as it arrives.
    const chunk = new TextEncoder().encode(`{"comment": "${'x'.repeat(64 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 1024 * 1024 + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await app.request(`${RELEASE}/notices`, { method: 'POST', headers: { Authorization: `Bearer ${alice}`, 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect([streamed.status, streamed.headers.get('content-length') === null ? 'no length' : 'length']).toEqual([413, 'no length']);
    expect(await written(store!)).toBe(before);
  });
});

describe('the HTTP API and its secrets', () => {
  const backends = storeBackends().filter((backend) => backend.name === 'sqlite');
  let repo: TestRepo;
  let store: Store | undefined;
  beforeAll(() => {
    repo = billingRepo();
    commitDocs(repo);
  });
  afterAll(() => repo.cleanup());
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('never shows a token in a log line or a response after it was created', async () => {
    ({ store } = await freshStore(backends[0]!));
    const { call, token, logged } = await serverApp(store, repo.dir);
    const releaser = await token(PEOPLE.releaser);
    const alice = await token(PEOPLE.alice);
    const responses: string[] = [];
    const record = async (...args: Parameters<typeof call>) => {
      const response = await call(...args);
      responses.push(response.text, JSON.stringify([...response.headers]));
      return response;
    };
    await record('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } });
    await record('POST', `${RELEASE}/approvals`, { token: alice, body: { role: 'module-team' } });
    await record('POST', `${RELEASE}/approvals`, { token: releaser, body: { role: 'module-team' } });
    await record('GET', RELEASE, { token: alice });
    await record('GET', '/api/v1/jobs', { token: alice });
    await record('GET', '/api/v1/releases', { token: `${alice}x` });
    await record('GET', '/api/v1/releases', { raw: undefined, headers: { Authorization: `Bearer ${releaser.slice(0, -1)}` } });
    // A token where it does not belong: in the query string, or sent as the request id (which the server echoes).
    await record('GET', `/api/v1/releases?token=${alice}&access_token=${alice}`, { token: alice });
    await record('GET', '/api/v1/releases', { token: alice, headers: { 'X-Request-Id': alice } });
    await record('GET', '/api/v1/releases', { headers: { 'X-Request-Id': releaser } });
    expect(logged.length).toBeGreaterThanOrEqual(7);
    for (const line of logged) expect(JSON.parse(line)).toMatchObject({ msg: 'request', requestId: expect.any(String), status: expect.any(Number) });
    const everything = [...logged, ...responses].join('\n');
    for (const secret of [releaser, alice, releaser.slice(22), alice.slice(22, 40)]) expect(everything).not.toContain(secret);
    expect(logged.join('\n')).not.toMatch(/authorization|bearer/i);
    // The token's id is what the log says instead.
    expect(logged.some((line) => line.includes(/^sgt_([0-9a-f]{16})_/.exec(alice)?.[1] ?? '?'))).toBe(true);
  });

  it('slows down an address that keeps failing to authenticate: 429 with Retry-After, other addresses unaffected', async () => {
    ({ store } = await freshStore(backends[0]!));
    let now = 1_000_000;
    const { call, token } = serverApp(store, repo.dir, { limiter: failureLimiter({ max: 5, windowMs: 60_000, clock: () => now }) });
    const good = await token(PEOPLE.alice);
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await call('GET', '/api/v1/releases', { token: `sgt_${'1'.repeat(16)}_${'B'.repeat(43)}`, address: '203.0.113.9' })).status).toBe(401);
    const blocked = await call('GET', '/api/v1/releases', { token: good, address: '203.0.113.9' });
    expect([blocked.status, blocked.headers.get('retry-after'), blocked.json.code]).toEqual([429, '60', 'ERATELIMIT']);
    expect((await call('GET', '/api/v1/releases', { token: good, address: '198.51.100.1' })).status).toBe(200);
    now += 45_000;
    expect((await call('GET', '/api/v1/releases', { address: '203.0.113.9' })).headers.get('retry-after')).toBe('15');
    now += 15_000;
    expect((await call('GET', '/api/v1/releases', { token: good, address: '203.0.113.9' })).status).toBe(200);
  });

  it('publishes an OpenAPI 3.1 document, without a token, that an independent validator accepts and that lists every route', async () => {
    ({ store } = await freshStore(backends[0]!));
    const { call } = serverApp(store, repo.dir);
    const document = await call('GET', '/api/v1/openapi.json');
    expect(document.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(document.json as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect([result.valid, validator.version]).toEqual([true, '3.1']);
    const paths = document.json.paths as unknown as Record<string, Record<string, { security?: unknown; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    expect(Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)).sort()).toEqual(
      [
        'GET /api/v1/calendar',
        'GET /api/v1/calendar.ics',
        'GET /api/v1/components',
        'GET /api/v1/freeze',
        'GET /api/v1/jobs',
        'GET /api/v1/metrics',
        'GET /api/v1/notes/{target}',
        'GET /api/v1/plan',
        'GET /api/v1/policy',
        'GET /api/v1/releases',
        'GET /api/v1/releases/{id}',
        'GET /api/v1/releases/{id}/gates',
        'GET /api/v1/releases/{id}/notify-preview',
        'GET /api/v1/releases/{id}/permissions',
        'POST /api/v1/hooks/github',
        'POST /api/v1/hooks/push',
        'POST /api/v1/releases',
        'POST /api/v1/releases/{id}/abandon',
        'POST /api/v1/releases/{id}/approvals',
        'POST /api/v1/releases/{id}/candidate',
        'POST /api/v1/releases/{id}/notices',
        'POST /api/v1/releases/{id}/postmortem',
        'POST /api/v1/releases/{id}/waivers',
        'GET /api/v1/releases/{id}/deployments',
        'POST /api/v1/releases/{id}/deployments',
        'POST /api/v1/releases/{id}/pipeline',
        'POST /api/v1/releases/{id}/pipeline/resume',
        'POST /api/v1/releases/{id}/signoffs',
        'POST /api/v1/rollbacks',
      ].sort(),
    );
    // The schema that validates an approval is the one documented.
    expect(paths['/api/v1/releases/{id}/approvals']?.post?.requestBody?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Approval' });
    expect((document.json.components as unknown as { schemas: Record<string, unknown> }).schemas.Approval).toMatchObject({ type: 'object', required: ['role'], additionalProperties: false });
    expect(paths['/api/v1/hooks/push']?.post?.security).toBeUndefined();
    expect(paths['/api/v1/releases']?.get?.security).toEqual([{ bearer: [] }]);
  });

  it('answers /healthz and /readyz without a token', async () => {
    ({ store } = await freshStore(backends[0]!));
    const { call } = serverApp(store, repo.dir);
    expect((await call('GET', '/healthz')).json).toEqual({ status: 'ok' });
    // Every migration this shipgate knows (other branches add theirs).
    expect((await call('GET', '/readyz')).json).toEqual({ status: 'ready', store: 'sqlite', migrations: Object.keys(storeMigrations('sqlite')).length });
    await sql`DELETE FROM kysely_migration WHERE name = '0004-tokens'`.execute(store.db);
    expect((await call('GET', '/readyz')).json).toMatchObject({ status: 503, detail: 'the store\'s schema lacks 0004-tokens' });
  });
});
