import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../src/client/api-client.js';
import { listRemoteReleases } from '../src/client/releases-api.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { createRelease } from '../src/store/releases.js';
import { billingRepo, commitDocs, PEOPLE, putPassingReports } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, tempDir, type CliRun } from './helpers/run-cli.js';
import { startServe, type ServeProcess } from './helpers/serve-process.js';
import { serverApp } from './helpers/server-app.js';

/** Two stores written at different moments differ only in the store's clock (and the notice period that counts from it). */
const clockless = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g, 'T');

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

describe('the CLI as a client of `shipgate serve`: the same output, exit codes and errors as the local command', () => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let localDb: string;
  let serverDb: string;
  let served: ServeProcess;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const runs: CliRun[] = [];

  /** The command against the local store, as `person` (git config user.email). */
  const local = (person: string, ...args: string[]) => {
    repo.git('config', 'user.email', person);
    const run = runCli([...args, '--db', localDb], { cwd: repo.dir });
    runs.push(run);
    return run;
  };
  /** The same command through the server, as `person` (their token); git's identity is someone else on purpose. */
  const remote = (person: string, args: string[], env: Record<string, string> = {}) => {
    repo.git('config', 'user.email', PEOPLE.outsider);
    const run = runCli(args, { cwd: repo.dir, env: { SHIPGATE_SERVER: served.url, SHIPGATE_TOKEN: tokens[person] ?? '', ...env } });
    runs.push(run);
    return run;
  };
  /** Runs both and expects the same stdout, stderr and exit code. */
  const same = (person: string, ...args: string[]) => {
    const there = remote(person, args);
    const here = local(person, ...args);
    expect({ args, code: there.code, stdout: clockless(there.stdout), stderr: there.stderr }).toEqual({ args, code: here.code, stdout: clockless(here.stdout), stderr: here.stderr });
    return there;
  };

  beforeAll(async () => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
    temp = tempDir('shipgate-client-');
    localDb = path.join(temp.dir, 'local.db');
    serverDb = path.join(temp.dir, 'server.db');
    served = await startServe(repo.dir, serverDb);
    for (const person of Object.values(PEOPLE)) {
      const created = JSON.parse(runCli(['token', 'create', '--user', person, '--json', '--db', serverDb], { cwd: repo.dir }).stdout) as { token: string; id: string };
      tokens[person] = created.token;
      ids[person] = created.id;
    }
  });
  afterAll(async () => {
    served?.child.kill('SIGTERM');
    await served?.exited;
    temp?.cleanup();
    repo?.cleanup();
  });

  it('release create, approve, waive, notice, postmortem, candidate, list, show, check and abandon, human and --json', { timeout: 300_000 }, async () => {
    expect(same(PEOPLE.releaser, 'release', 'create', 'billing').stdout).toMatch(/^opened billing@2\.1\.0: minor scheduled release at [0-9a-f]{7} \(candidate, train \d{4}-\d{2}-\d{2}\)\nnext: shipgate check billing@2\.1\.0\n$/);
    // Self-approval: refused with the local message and exit code, and nothing written (the log below).
    const selfApproval = same(PEOPLE.releaser, 'approve', 'billing@2.1.0', '--role', 'module-team');
    expect([selfApproval.code, expectOneLineError(selfApproval)]).toEqual([2, `shipgate: nobody approves their own release: ${PEOPLE.releaser} created billing@2.1.0 (ask another member of the role)`]);
    same(PEOPLE.alice, 'approve', 'billing@2.1.0', '--role', 'module-team', '--comment', 'LGTM', '--json');
    expect(same(PEOPLE.bob, 'approve', 'billing@2.1.0', '--role', 'module-team').stdout).toMatch(/^approved: billing@2\.1\.0 as module-team .* \(module-team: 2 of 2\)\n$/);
    same(PEOPLE.alice, 'approve', 'billing@2.1.0', '--role', 'module-team');
    same(PEOPLE.lead, 'waive', 'billing@2.1.0', 'versioning.notice', '--reason', 'announced at the all-hands');
    same(PEOPLE.releaser, 'notice', 'billing@2.1.0', '--comment', 'posted in #eng', '--json');
    expect(same(PEOPLE.releaser, 'notice', 'billing@2.1.0').stdout).toContain('an earlier notice already started the period');
    same(PEOPLE.lead, 'postmortem', 'billing@2.1.0', 'https://wiki.example.com/pm/7');
    same(PEOPLE.releaser, 'release', 'candidate', 'billing@2.1.0', '--json');
    same(PEOPLE.releaser, 'release', 'candidate', 'billing@2.1.0');
    same(PEOPLE.bob, 'release', 'list');
    same(PEOPLE.bob, 'release', 'list', 'billing', '--json');
    same(PEOPLE.bob, 'release', 'show', 'billing@2.1.0');
    // A gate report in the CLI's words (the server words `next` as requests), failing gates exit 1 on both.
    const checked = same(PEOPLE.bob, 'check', 'billing@2.1.0', '--at', '2026-03-01T00:00Z', '--json');
    expect(checked.stdout).toContain('shipgate approve billing@2.1.0 --role tech-lead');
    expect(checked.stdout).not.toContain('/api/v1/');
    expect(same(PEOPLE.bob, 'check', 'billing@2.1.0', '--at', '2026-03-01T00:00Z').code).toBe(1);

    // The server's log says who did it: each token's user, with the token's id, never git's identity.
    const shown = JSON.parse(remote(PEOPLE.bob, ['release', 'show', 'billing@2.1.0', '--json']).stdout) as { events: { actor: string; tokenId?: string; data: { kind: string } }[] };
    expect(shown.events.map((event) => [event.data.kind, event.actor, event.tokenId])).toEqual([
      ['created', PEOPLE.releaser, ids[PEOPLE.releaser]],
      ['approval', PEOPLE.alice, ids[PEOPLE.alice]],
      ['approval', PEOPLE.bob, ids[PEOPLE.bob]],
      ['waiver', PEOPLE.lead, ids[PEOPLE.lead]],
      ['notice', PEOPLE.releaser, ids[PEOPLE.releaser]],
      ['notice', PEOPLE.releaser, ids[PEOPLE.releaser]],
      ['postmortem', PEOPLE.lead, ids[PEOPLE.lead]],
    ]);
    // Apart from the token ids, the server's log is the local one.
    const localShown = JSON.parse(local(PEOPLE.bob, 'release', 'show', 'billing@2.1.0', '--json').stdout) as unknown;
    expect(clockless(JSON.stringify(shown).replace(/,"tokenId":"[0-9a-f]{16}"/g, ''))).toBe(clockless(JSON.stringify(localShown)));

    expect(same(PEOPLE.releaser, 'release', 'abandon', 'billing@2.1.0', '--reason', 'replaced').stdout).toBe('billing@2.1.0: abandoned\n');
  });

  it('refusals: the local command\'s message, hint and exit code', { timeout: 180_000 }, async () => {
    const refusals: [string, string[]][] = [
      [PEOPLE.releaser, ['approve', 'billing@9.9.9', '--role', 'module-team']],
      [PEOPLE.outsider, ['approve', 'billing@2.1.0', '--role', 'tech-lead']],
      [PEOPLE.outsider, ['waive', 'billing@2.1.0', 'versioning.notice', '--reason', 'x']],
      [PEOPLE.releaser, ['release', 'create', 'billing']],
      [PEOPLE.releaser, ['release', 'create', 'nope']],
      [PEOPLE.releaser, ['release', 'create', 'billing', '--type', 'nightly']],
      [PEOPLE.bob, ['check', 'billing@2.1.0', '--at', 'yesterday']],
      [PEOPLE.bob, ['release', 'show', 'billing@9.9.9']],
    ];
    for (const [person, args] of refusals) {
      const run = same(person, ...args);
      expect([args, run.code]).toEqual([args, 2]);
      expectOneLineError(run);
    }
  });

  it('errors of the connection: no token, a refused token, local-only options, an unreachable or silent server; the token never shows', { timeout: 120_000 }, async () => {
    const missing = remote(PEOPLE.bob, ['release', 'list'], { SHIPGATE_TOKEN: '' });
    expect([missing.code, expectOneLineError(missing)]).toEqual([2, expect.stringMatching(/^shipgate: SHIPGATE_TOKEN is not set: .*shipgate token create --user/)]);

    const unknown = remote(PEOPLE.bob, ['release', 'list'], { SHIPGATE_TOKEN: `sgt_${'0'.repeat(16)}_${'A'.repeat(43)}` });
    expect([unknown.code, expectOneLineError(unknown)]).toEqual([2, `shipgate: the shipgate server at ${served.url} refused the token in SHIPGATE_TOKEN: the token is not known (create one on the server with \`shipgate token create --user <your email>\` and export it as SHIPGATE_TOKEN)`]);
    const revokeRun = runCli(['token', 'revoke', ids[PEOPLE.pm] ?? '', '--db', serverDb], { cwd: repo.dir });
    expect(revokeRun.code).toBe(0);
    const revoked = remote(PEOPLE.pm, ['approve', 'billing', '--role', 'module-team']);
    expect([revoked.code, expectOneLineError(revoked)]).toEqual([2, expect.stringContaining('refused the token in SHIPGATE_TOKEN: the token was revoked')]);

    for (const flags of [['--db', localDb], ['--as', PEOPLE.lead]]) {
      const run = remote(PEOPLE.lead, ['approve', 'billing', '--role', 'tech-lead', ...flags]);
      expect([run.code, expectOneLineError(run)]).toEqual([2, expect.stringContaining(`${flags[0]} is for a local store and cannot be used with SHIPGATE_SERVER ${served.url}`)]);
    }
    const policy = runCli(['--server', served.url, '--policy', 'shipgate.yaml', 'check', 'billing'], { cwd: repo.dir, env: { SHIPGATE_TOKEN: tokens[PEOPLE.bob] ?? '' } });
    expect([policy.code, expectOneLineError(policy)]).toEqual([2, expect.stringContaining(`--policy is for a local store and cannot be used with --server ${served.url}`)]);

    const closed = createServer();
    const closedPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = runCli(['--server', `http://127.0.0.1:${closedPort}`, 'release', 'list'], { cwd: repo.dir, env: { SHIPGATE_TOKEN: tokens[PEOPLE.bob] ?? '' } });
    expect([unreachable.code, expectOneLineError(unreachable)]).toEqual([2, expect.stringMatching(new RegExp(`^shipgate: cannot reach the shipgate server at http://127\\.0\\.0\\.1:${closedPort}: ECONNREFUSED \\(check that \`shipgate serve\` is running there`))]);

    // A server that takes the connection and never answers: the timeout ends the wait.
    const silent = createServer(() => undefined);
    const silentPort = await listen(silent);
    try {
      const started = Date.now();
      const hung = remote(PEOPLE.bob, ['release', 'list'], { SHIPGATE_SERVER: `http://127.0.0.1:${silentPort}`, SHIPGATE_SERVER_TIMEOUT: '0.5' });
      expect([hung.code, expectOneLineError(hung)]).toEqual([2, expect.stringContaining(`cannot reach the shipgate server at http://127.0.0.1:${silentPort}: no answer within 1 s`)]);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      silent.close();
    }

    for (const run of runs) for (const token of Object.values(tokens)) expect(run.stdout + run.stderr).not.toContain(token.slice(21));
  });
});

describe('the client follows the release list page by page', () => {
  let store: Store;
  let temp: { dir: string; cleanup: () => void };
  let repo: TestRepo;
  beforeAll(async () => {
    repo = billingRepo();
    temp = tempDir();
    store = await openStore({ kind: 'sqlite', file: path.join(temp.dir, 'store.db') });
  });
  afterAll(async () => {
    await store.close();
    temp.cleanup();
    repo.cleanup();
  });

  it('every release once, newest first, across pages the Link header names', async () => {
    for (let n = 0; n < 7; n += 1) {
      await createRelease(store, { component: `c${n % 3}`, kind: 'module', path: `modules/c${n % 3}`, version: `1.0.${n}`, tag: null, lastTag: null, bump: 'patch', type: 'scheduled', breaking: false, state: 'candidate', trainDate: null, commit: 'a'.repeat(40), createdBy: PEOPLE.releaser }, { kind: 'created', commit: 'a'.repeat(40), reasons: [], commits: [] });
    }
    const { app, token } = serverApp(store, repo.dir);
    const client = apiClient({ server: 'http://shipgate.test', token: await token(PEOPLE.bob), fetch: (url, init) => Promise.resolve(app.request(String(url), init)) });
    const all = (await client.get<{ id: string }[]>('/api/v1/releases', { limit: '1000' })).json.map((release) => release.id);
    expect(all).toHaveLength(7);
    const first = await client.get<{ id: string }[]>('/api/v1/releases', { limit: '3' });
    expect([first.json.map((release) => release.id), first.headers.get('link')]).toEqual([all.slice(0, 3), `</api/v1/releases?limit=3&after=${encodeURIComponent(all[2] ?? '')}>; rel="next"`]);
    expect((await listRemoteReleases(client, undefined, 3)).map((release) => release.id)).toEqual(all);
    expect((await listRemoteReleases(client, 'c1', 1)).map((release) => release.id)).toEqual(all.filter((id) => id.startsWith('c1@')));
    const last = await client.get<{ id: string }[]>('/api/v1/releases', { limit: '3', after: all[5] });
    expect([last.json.map((release) => release.id), last.headers.get('link')]).toEqual([all.slice(6), null]);
  });
});
