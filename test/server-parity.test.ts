import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantJob } from '../src/jobs/job-store.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { billingRepo, commitDocs, PEOPLE, putPassingReports } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { runCli, tempDir } from './helpers/run-cli.js';
import { serverApp } from './helpers/server-app.js';

/** Two stores written at different moments differ only in the store's clock. */
const clockless = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/"(at|createdAt|updatedAt)":"[^"]+"/g, '"$1":"T"')) as unknown;
/** The gate report without `next`, which each interface words itself (the data, `nextStep`, stays). */
const withoutWords = (report: { gates: { next: unknown }[] }) => ({ ...report, gates: report.gates.map(({ next: _next, ...gate }) => gate) });

describe('the API answers the same JSON as `shipgate ... --json`, for the same store and repository', () => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let cliDb: string;
  let cliStore: Store;
  let twin: Store;
  let onCli: ReturnType<typeof serverApp>;
  let onTwin: ReturnType<typeof serverApp>;
  const tokens: Record<string, string> = {};
  const cli = (as: string, ...args: string[]) => {
    repo.git('config', 'user.email', as);
    const run = runCli([...args, '--json', '--db', cliDb], { cwd: repo.dir });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as unknown;
  };
  const read = (...args: string[]) => JSON.parse(runCli([...args, '--json'], { cwd: repo.dir }).stdout) as unknown;
  const api = async (app: ReturnType<typeof serverApp>, as: string, method: string, url: string, body?: unknown) => {
    const response = await app.call(method, url, { token: tokens[as], ...(body === undefined ? {} : { body }) });
    expect([url, response.status < 300]).toEqual([url, true]);
    return response.json as unknown;
  };

  beforeAll(async () => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
    temp = tempDir();
    cliDb = path.join(temp.dir, 'cli.db');
    // Both stores exist and are migrated before either side writes.
    cliStore = await openStore({ kind: 'sqlite', file: cliDb });
    twin = await openStore({ kind: 'sqlite', file: path.join(temp.dir, 'api.db') });
    onCli = serverApp(cliStore, repo.dir);
    onTwin = serverApp(twin, repo.dir);
    for (const person of Object.values(PEOPLE)) tokens[person] = await onTwin.token(person);
    for (const person of Object.values(PEOPLE)) await onCli.token(person).then((token) => (tokens[`cli:${person}`] = token));
  });
  afterAll(async () => {
    await cliStore.close();
    await twin.close();
    temp.cleanup();
    repo.cleanup();
  });

  it('writes: release create, approve, waive, notice, postmortem, candidate', async () => {
    expect(clockless(await api(onTwin, PEOPLE.releaser, 'POST', '/api/v1/releases', { component: 'billing' }))).toEqual(clockless(cli(PEOPLE.releaser, 'release', 'create', 'billing')));
    const release = '/api/v1/releases/billing@2.1.0';
    expect(clockless(await api(onTwin, PEOPLE.alice, 'POST', `${release}/approvals`, { role: 'module-team', comment: 'LGTM' }))).toEqual(clockless(cli(PEOPLE.alice, 'approve', 'billing@2.1.0', '--role', 'module-team', '--comment', 'LGTM')));
    expect(clockless(await api(onTwin, PEOPLE.lead, 'POST', `${release}/waivers`, { gate: 'versioning.notice', reason: 'announced at the all-hands' }))).toEqual(
      clockless(cli(PEOPLE.lead, 'waive', 'billing@2.1.0', 'versioning.notice', '--reason', 'announced at the all-hands')),
    );
    expect(clockless(await api(onTwin, PEOPLE.releaser, 'POST', `${release}/notices`, { comment: 'posted in #eng' }))).toEqual(clockless(cli(PEOPLE.releaser, 'notice', 'billing@2.1.0', '--comment', 'posted in #eng')));
    expect(clockless(await api(onTwin, PEOPLE.lead, 'POST', `${release}/postmortem`, { url: 'https://wiki.example.com/pm/7' }))).toEqual(clockless(cli(PEOPLE.lead, 'postmortem', 'billing@2.1.0', 'https://wiki.example.com/pm/7')));
    expect(clockless(await api(onTwin, PEOPLE.releaser, 'POST', `${release}/candidate`, {}))).toEqual(clockless(cli(PEOPLE.releaser, 'release', 'candidate', 'billing@2.1.0')));
  });

  it('reads on one store: release list and show, check (its words aside), jobs', async () => {
    await plantJob(cliStore, { kind: 'timeline-step', key: 'timeline:parity', runAt: new Date('2030-01-01T00:00:00Z') });
    const as = `cli:${PEOPLE.bob}`;
    expect(await api(onCli, as, 'GET', '/api/v1/releases')).toEqual(cli(PEOPLE.bob, 'release', 'list'));
    expect(await api(onCli, as, 'GET', '/api/v1/releases?component=billing')).toEqual(cli(PEOPLE.bob, 'release', 'list', 'billing'));
    expect(await api(onCli, as, 'GET', '/api/v1/releases/billing@2.1.0')).toEqual(cli(PEOPLE.bob, 'release', 'show', 'billing@2.1.0'));
    repo.git('config', 'user.email', PEOPLE.bob);
    const checked = JSON.parse(runCli(['check', 'billing@2.1.0', '--json', '--db', cliDb, '--at', '2026-03-01T00:00Z'], { cwd: repo.dir }).stdout) as { gates: { next: unknown }[] };
    const gates = (await api(onCli, as, 'GET', '/api/v1/releases/billing@2.1.0/gates?at=2026-03-01T00:00Z')) as { gates: { next: unknown }[] };
    expect(withoutWords(gates)).toEqual(withoutWords(checked));
    expect(gates.gates.some((gate) => gate.next !== null)).toBe(true);
    expect(await api(onCli, as, 'GET', '/api/v1/jobs?state=due&limit=10')).toEqual(cli(PEOPLE.bob, 'jobs', '--state', 'due', '--limit', '10'));
  });

  it('reads of the repository: policy, calendar, freeze, components, plan, notes', async () => {
    const as = PEOPLE.outsider;
    expect(await api(onTwin, as, 'GET', '/api/v1/policy')).toEqual(read('policy', 'show'));
    expect(await api(onTwin, as, 'GET', '/api/v1/calendar?from=2026-02-01&to=2026-03-31&train=module&train=product')).toEqual(read('calendar', '--from', '2026-02-01', '--to', '2026-03-31', '--train', 'module', 'product'));
    expect(await api(onTwin, as, 'GET', '/api/v1/freeze?at=2026-02-16T12:00')).toEqual(read('freeze', 'status', '--at', '2026-02-16T12:00'));
    expect(await api(onTwin, as, 'GET', '/api/v1/components')).toEqual(read('status'));
    expect(await api(onTwin, as, 'GET', '/api/v1/plan?type=hotfix&train=module')).toEqual(JSON.parse(runCli(['plan', '--json', '--type', 'hotfix', '--train', 'module'], { cwd: repo.dir }).stdout));
    expect(await api(onTwin, as, 'GET', '/api/v1/notes/billing?format=json&date=2026-02-17')).toEqual(read('notes', 'billing', '--date', '2026-02-17'));
    const markdown = await onTwin.call('GET', '/api/v1/notes/billing?date=2026-02-17', { token: tokens[as] });
    expect(markdown.text.trimEnd()).toBe(runCli(['notes', 'billing', '--date', '2026-02-17'], { cwd: repo.dir }).stdout.trimEnd());
  });

  it('abandon', async () => {
    expect(clockless(await api(onTwin, PEOPLE.releaser, 'POST', '/api/v1/releases/billing@2.1.0/abandon', { reason: 'replaced' }))).toEqual(clockless(cli(PEOPLE.releaser, 'release', 'abandon', 'billing@2.1.0', '--reason', 'replaced')));
  });
});
