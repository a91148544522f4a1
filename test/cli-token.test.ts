import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { billingRepo, commitDocs, PEOPLE, POLICY_YAML } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';
import { serverApp } from './helpers/server-app.js';

describe('shipgate token and identity.requireServer', () => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let db: string;
  const cli = (args: string[], as: string = PEOPLE.releaser) => {
    repo.git('config', 'user.email', as);
    return runCli([...args, '--db', db], { cwd: repo.dir });
  };
  beforeAll(() => {
    repo = billingRepo();
    commitDocs(repo);
    temp = tempDir();
    db = path.join(temp.dir, 'store.db');
  });
  afterAll(() => {
    temp.cleanup();
    repo.cleanup();
  });

  it('creates a token shown once, lists tokens without it, and revokes one', () => {
    const created = cli(['token', 'create', '--user', 'Alice@Example.com', '--name', 'laptop', '--expires', '30d', '--json']);
    expect(created.code).toBe(0);
    const { token, id, user, expiresAt, revokedAt } = JSON.parse(created.stdout) as { token: string; id: string; user: string; expiresAt: string; revokedAt: null };
    expect(token).toMatch(/^sgt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`sgt_${id}_`)).toBe(true);
    expect([user, revokedAt]).toEqual([PEOPLE.alice, null]);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const human = cli(['token', 'create', '--user', PEOPLE.bob, '--expires', 'never']);
    expect(human.stdout).toMatch(/^sgt_\S+\ntoken [0-9a-f]{16} for bob@example\.com, valid until revoked; it is not shown again\n$/);
    const secondToken = human.stdout.split('\n')[0]!;

    const listed = cli(['token', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id, user: PEOPLE.alice, name: 'laptop', revokedAt: null }, { user: PEOPLE.bob, name: null, expiresAt: null }]);
    const table = cli(['token', 'list']).stdout;
    for (const secret of [token, secondToken, token.slice(22), secondToken.slice(22)]) {
      expect(listed.stdout).not.toContain(secret);
      expect(table).not.toContain(secret);
    }
    expect(listed.stdout).not.toMatch(/hash/i);

    expect(cli(['token', 'revoke', id]).stdout).toBe(`revoked token ${id} of ${PEOPLE.alice}\n`);
    expect(JSON.parse(cli(['token', 'list', '--json']).stdout)[0].revokedAt).toMatch(/^\d{4}-/);
    const unknown = cli(['token', 'revoke', 'ffffffffffffffff']);
    expect([unknown.code, expectOneLineError(unknown)]).toEqual([2, 'shipgate: no token with id "ffffffffffffffff" (list them with `shipgate token list`)']);
    const badUser = cli(['token', 'create', '--user', 'not an email']);
    expect([badUser.code, expectOneLineError(badUser)]).toEqual([2, 'shipgate: "not an email" is not an email address (pass the email the policy and CODEOWNERS know the person by)']);
    const badExpiry = cli(['token', 'create', '--user', PEOPLE.bob, '--expires', 'soon']);
    expect([badExpiry.code, expectOneLineError(badExpiry)]).toEqual([2, 'shipgate: --expires "soon" is not a duration (e.g. 90d, 12h or 2w; leave it out for a token that lasts until revoked)']);
  });

  it('with identity.requireServer, a local approval or waiver is refused and the same through the server is recorded', async () => {
    repo.commit('chore: approvals only through the server', { 'shipgate.yaml': `${POLICY_YAML.replace('identity:\n', 'identity:\n  requireServer: true\n')}` });
    expect(cli(['release', 'create', 'billing', '--json']).code).toBe(0);
    const approve = cli(['approve', 'billing@2.1.0', '--role', 'module-team'], PEOPLE.alice);
    expect([approve.code, expectOneLineError(approve)]).toEqual([
      2,
      'shipgate: the policy takes approvals only through the shipgate server (identity.requireServer): a local approval is refused (ask an admin for a token (shipgate token create) and send it to the server: POST /api/v1/releases/<release>/approvals)',
    ]);
    const waive = cli(['waive', 'billing@2.1.0', 'versioning.notice', '--reason', 'announced'], PEOPLE.lead);
    expect([waive.code, expectOneLineError(waive)]).toEqual([
      2,
      'shipgate: the policy takes waivers only through the shipgate server (identity.requireServer): a local waiver is refused (ask an admin for a token (shipgate token create) and send it to the server: POST /api/v1/releases/<release>/waivers)',
    ]);
    const store = await openStore({ kind: 'sqlite', file: db });
    try {
      const { call, token } = serverApp(store, repo.dir);
      const approved = await call('POST', '/api/v1/releases/billing@2.1.0/approvals', { token: await token(PEOPLE.alice), body: { role: 'module-team' } });
      expect([approved.status, approved.json.recorded]).toEqual([200, true]);
      const waived = await call('POST', '/api/v1/releases/billing@2.1.0/waivers', { token: await token(PEOPLE.lead), body: { gate: 'versioning.notice', reason: 'announced' } });
      expect(waived.status).toBe(200);
    } finally {
      await store.close();
    }
    const events = (JSON.parse(cli(['release', 'show', 'billing@2.1.0', '--json']).stdout) as { events: { data: { kind: string } }[] }).events.map((event) => event.data.kind);
    expect(events).toEqual(['created', 'approval', 'waiver']);
  });

  it('serve refuses a bad port and --policy with one line', () => {
    const port = runCli(['serve', '--port', 'http'], { cwd: repo.dir });
    expect([port.code, expectOneLineError(port)]).toEqual([2, 'shipgate: --port must be a port number from 0 to 65535, not "http"']);
    const policy = runCli(['--policy', 'other.yaml', 'serve'], { cwd: repo.dir });
    expect([policy.code, expectOneLineError(policy)]).toEqual([2, 'shipgate: the server decides with the policy committed on main: it takes no --policy (commit the policy on main; the server fetches it)']);
  });
});
