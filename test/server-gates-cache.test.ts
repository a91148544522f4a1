import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refsMoved } from '../src/app/ref-state.js';
import { policySource } from '../src/server/policy-source.js';
import type { Store } from '../src/store/open-store.js';
import { billingRepo, commitDocs, PEOPLE, putPassingReports, putReport } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { serverApp } from './helpers/server-app.js';
import { freshStore, storeBackends } from './helpers/stores.js';

type Report = { gates: { id: string; verdict: string }[]; warnings: string[] };

/** billing@2.1.0's gate report, as a user with `token` asks the server for it. */
const gatesOf = (call: ReturnType<typeof serverApp>['call'], token: string) => async () => (await call('GET', '/api/v1/releases/billing@2.1.0/gates?at=2026-03-01T00:00Z', { token })).json as unknown as Report;
const verdict = (report: Report, id: string) => report.gates.find((gate) => gate.id === id)?.verdict;
const notTheCandidate = (report: Report) => report.warnings.some((warning) => warning.includes('is not the candidate'));

describe('the server\'s gate reports reuse a read of the evidence only while nothing it rests on changed', () => {
  const backend = storeBackends().find((candidate) => candidate.name === 'sqlite')!;
  let repo: TestRepo;
  let store: Store;
  beforeAll(async () => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
    ({ store } = await freshStore(backend));
  });
  afterAll(async () => {
    await store.close();
    repo.cleanup();
  });

  it('a report CI rewrites, a new report, and the candidate moving are each seen by the next request', async () => {
    // As `shipgate serve` builds it: main's policy parsed once per state of the refs.
    const { call, token } = serverApp(store, repo.dir, { policy: policySource(repo.dir) });
    const releaser = await token(PEOPLE.releaser);
    const alice = await token(PEOPLE.alice);
    expect((await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } })).status).toBe(201);
    const gates = gatesOf(call, alice);

    expect(verdict(await gates(), 'checklist.tests')).toBe('pass');
    expect(verdict(await gates(), 'checklist.tests')).toBe('pass');
    // CI rewrites the report in the working tree, no commit: the next report reads it.
    putReport(repo, 'tool-output/vitest-failing.xml', 'reports/junit/unit.xml');
    expect(verdict(await gates(), 'checklist.tests')).toBe('fail');
    putReport(repo, 'tool-output/vitest-passing.xml', 'reports/junit/unit.xml');
    expect(verdict(await gates(), 'checklist.tests')).toBe('pass');
    // A new report file beside the others.
    putReport(repo, 'tool-output/eslint-errors.sarif', 'reports/security/more.sarif');
    expect(verdict(await gates(), 'checklist.security-scan')).toBe('fail');
    putReport(repo, 'tool-output/eslint-clean.sarif', 'reports/security/more.sarif');
    expect(verdict(await gates(), 'checklist.security-scan')).toBe('pass');
    // A commit on top of the candidate: the working tree no longer holds it, and the report says so.
    const before = await gates();
    repo.commit('fix(billing): rounding', { 'modules/billing/src/round.js': 'export const round = Math.round;\n' });
    const after = await gates();
    expect(notTheCandidate(before)).toBe(false);
    expect(notTheCandidate(after)).toBe(true);
  });

  it('as `shipgate serve` runs it, the clone is looked at once a second per release: a rewritten report is seen within that, a fetch of its own at once', async () => {
    const repo = billingRepo();
    const { store } = await freshStore(backend);
    try {
      commitDocs(repo);
      putPassingReports(repo);
      const { call, token } = serverApp(store, repo.dir, { policy: policySource(repo.dir, { maxAgeMs: 300 }), refsMaxAgeMs: 300 });
      const releaser = await token(PEOPLE.releaser);
      const alice = await token(PEOPLE.alice);
      expect((await call('POST', '/api/v1/releases', { token: releaser, body: { component: 'billing' } })).status).toBe(201);
      const gates = gatesOf(call, alice);
      expect(verdict(await gates(), 'checklist.tests')).toBe('pass');
      putReport(repo, 'tool-output/vitest-failing.xml', 'reports/junit/unit.xml');
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(verdict(await gates(), 'checklist.tests')).toBe('fail');
      putReport(repo, 'tool-output/vitest-passing.xml', 'reports/junit/unit.xml');
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(verdict(await gates(), 'checklist.tests')).toBe('pass');
      // A commit the server's own fetch brought (fetch-clone.ts says so): the next report knows at once.
      expect(notTheCandidate(await gates())).toBe(false);
      repo.commit('fix(billing): cents', { 'modules/billing/src/cents.js': 'export const cents = 100;\n' });
      refsMoved(repo.dir);
      expect(notTheCandidate(await gates())).toBe(true);
    } finally {
      await store.close();
      repo.cleanup();
    }
  });
});
