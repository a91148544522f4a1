import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { approveRelease } from '../src/app/approve-release.js';
import { checkRelease, checkUnderPolicy } from '../src/app/check-release.js';
import { createRelease } from '../src/app/create-release.js';
import type { GoverningPolicy } from '../src/app/governing-policy.js';
import { setCandidate, transitionRelease } from '../src/app/transition-release.js';
import { waiveGate } from '../src/app/waive-gate.js';
import { httpStatusFor } from '../src/errors/shipgate-error.js';
import { canTransition } from '../src/gates/lifecycle.js';
import type { Store } from '../src/store/open-store.js';
import { getRelease, listEvents } from '../src/store/releases.js';
import { billingRepo, CODEOWNERS_ON_MAIN, commitDocs, openRelease, PEOPLE, putPassingReports, putReport, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const policy = testPolicy();
const governedBy = (preview: string | null): GoverningPolicy => ({ policy, source: preview ?? 'shipgate.yaml on main', codeowners: CODEOWNERS_ON_MAIN, preview, drift: null });

describe.each(storeBackends())('the approved state, decided by the gates, on $name', (backend) => {
  let store: Store;
  let repo: TestRepo;
  beforeAll(() => {
    repo = billingRepo();
    commitDocs(repo);
  });
  afterAll(() => repo.cleanup());
  afterEach(async () => store?.close());

  const open = async () => {
    ({ store } = await freshStore(backend));
    return openRelease(store, policy, repo, { bump: 'patch', version: '2.0.1' });
  };
  const approve = (actor: string, role = 'module-owner') => approveRelease({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.0.1', role, actor });
  const check = (record: boolean) => checkRelease({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.0.1', now: new Date(), record });
  const log = async () => (await listEvents(store, 'billing@2.0.1')).map((event) => [event.actor, event.data.kind === 'transition' ? `${event.data.from} -> ${event.data.to}: ${event.data.reason ?? ''}` : event.data.kind]);

  it('the approval that completes the gates makes the release approved, in the same transaction, recorded as shipgate\'s', async () => {
    putPassingReports(repo);
    const opened = await open();
    const result = await approve(PEOPLE.alice);
    expect(result.release.state).toBe('approved');
    expect(await getRelease(store, 'billing@2.0.1')).toMatchObject({ state: 'approved', seq: 3 });
    const commit = opened.commit.slice(0, 7);
    expect(await log()).toEqual([
      [PEOPLE.releaser, 'created'],
      [PEOPLE.alice, 'approval'],
      ['shipgate', `candidate -> approved: every gate passes for ${commit}`],
    ]);
    const [, approval, transition] = await listEvents(store, 'billing@2.0.1');
    expect([transition!.id - approval!.id, transition!.at]).toEqual([1, approval!.at]);
  });

  it('a new candidate makes it a candidate again, and its gates decide anew for the new commit', async () => {
    putPassingReports(repo);
    const opened = await open();
    await approve(PEOPLE.alice);
    const fix = repo.commit('fix(billing): rounding', { 'modules/billing/src/round.js': 'export const round = Math.round;\n' });
    const moved = await setCandidate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.0.1', actor: PEOPLE.releaser });
    expect(moved.release).toMatchObject({ state: 'candidate', commit: fix });
    expect((await log()).slice(3)).toEqual([
      [PEOPLE.releaser, 'candidate'],
      ['shipgate', `approved -> candidate: the candidate moved from ${opened.commit.slice(0, 7)} to ${fix.slice(0, 7)}`],
    ]);
    // The approval was for the old commit; given again to the new one, the release is approved again.
    expect((await approve(PEOPLE.bob)).release.state).toBe('approved');
  });

  it('check records what the gates decide under the committed policy, both ways, and nothing under a preview', async () => {
    putReport(repo, 'tool-output/vitest-failing.xml', 'reports/smoke/staging.xml');
    await open();
    // Approved by the owner, but the smoke tests fail: a candidate still.
    expect((await approve(PEOPLE.alice)).release.state).toBe('candidate');
    putPassingReports(repo);
    expect((await check(false)).ok).toBe(true);
    expect((await checkUnderPolicy({ store, governing: governedBy('other.yaml'), cwd: repo.dir, ref: 'billing@2.0.1', now: new Date() })).release.state).toBe('candidate');
    expect(await getRelease(store, 'billing@2.0.1')).toMatchObject({ state: 'candidate', seq: 2 });

    const approved = await checkUnderPolicy({ store, governing: governedBy(null), cwd: repo.dir, ref: 'billing@2.0.1', now: new Date() });
    expect(approved.release.state).toBe('approved');
    expect((await log()).at(-1)).toEqual(['shipgate', expect.stringMatching(/^candidate -> approved: every gate passes for [0-9a-f]{7}$/)]);
    // Checking again changes nothing.
    await check(true);
    expect((await getRelease(store, 'billing@2.0.1'))?.seq).toBe(3);

    putReport(repo, 'tool-output/vitest-failing.xml', 'reports/junit/unit.xml');
    const failing = await check(true);
    expect([failing.ok, failing.release.state]).toEqual([false, 'candidate']);
    expect((await log()).at(-1)).toEqual(['shipgate', expect.stringMatching(/^approved -> candidate: checklist.tests, approvals.ci no longer pass for [0-9a-f]{7}$/)]);
    putPassingReports(repo);
  });

  it('a waiver that clears the last failing gate approves the release', async () => {
    putPassingReports(repo);
    putReport(repo, 'junit/surefire-performance-error.xml', 'reports/performance/perf.xml');
    await open();
    expect((await approve(PEOPLE.alice)).release.state).toBe('candidate');
    const { release } = await waiveGate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.0.1', gate: 'performance-tests', reason: 'perf env down; run by hand', actor: PEOPLE.lead });
    expect(release.state).toBe('approved');
    putPassingReports(repo);
  });

  it('no command moves a release into approved, and nothing reaches staging without it', async () => {
    putPassingReports(repo);
    await open();
    const refused = transitionRelease({ store, ref: 'billing@2.0.1', to: 'approved', actor: PEOPLE.lead });
    await expect(refused).rejects.toMatchObject({ code: 'ESTATE', category: 'rule', message: 'billing@2.0.1 becomes approved when its gates pass, not by a command' });
    expect(canTransition('candidate', 'staging')).toBe(false);
    expect(canTransition('approved', 'staging')).toBe(true);
    expect((await getRelease(store, 'billing@2.0.1'))?.state).toBe('candidate');
  });

  it('refusals carry the category the server answers with', async () => {
    putPassingReports(repo);
    await open();
    const status = async (promise: Promise<unknown>) => {
      const error = await promise.then(() => undefined, (caught: { category: Parameters<typeof httpStatusFor>[0] }) => caught);
      return error === undefined ? 'no error' : [error.category, httpStatusFor(error.category)];
    };
    expect(await status(approve(PEOPLE.releaser))).toEqual(['rule', 422]);
    expect(await status(approve(PEOPLE.outsider))).toEqual(['forbidden', 403]);
    expect(await status(approveRelease({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@9.9.9', role: 'module-owner', actor: PEOPLE.alice }))).toEqual(['not-found', 404]);
    expect(await status(waiveGate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.0.1', gate: 'owner-approval', reason: 'busy', actor: PEOPLE.lead }))).toEqual(['rule', 422]);
    expect(await status(waiveGate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.0.1', gate: 'nope', reason: 'busy', actor: PEOPLE.lead }))).toEqual(['not-found', 404]);
    expect(await status(openRelease(store, policy, repo, { bump: 'patch', version: '2.0.1' }))).toEqual(['conflict', 409]);
    await transitionRelease({ store, ref: 'billing@2.0.1', to: 'abandoned', actor: PEOPLE.lead });
    expect(await status(transitionRelease({ store, ref: 'billing@2.0.1', to: 'abandoned', actor: PEOPLE.lead }))).toEqual(['conflict', 409]);
    expect(await status(approve(PEOPLE.alice))).toEqual(['conflict', 409]);
    expect(await status(createRelease({ store, policy, cwd: repo.dir, component: 'billing', type: 'hotfix', actor: PEOPLE.releaser, now: new Date() }))).toEqual(['rule', 422]);
  });

  it('a release opened from the plan records the commits it carries: sha, author time and type', async () => {
    ({ store } = await freshStore(backend));
    const record = await createRelease({ store, policy, cwd: repo.dir, component: 'billing', type: 'scheduled', actor: PEOPLE.releaser, now: new Date() });
    const [created] = await listEvents(store, record.id);
    const shas = repo.git('log', '--format=%H %aI %s', 'billing/v2.0.0..HEAD', '--', 'modules/billing').split('\n').map((line) => line.split(' '));
    expect(created?.data).toMatchObject({
      kind: 'created',
      commit: record.commit,
      commits: shas.map(([sha, date, subject]) => ({ sha, authoredAt: new Date(date!).toISOString(), type: subject!.replace(/[(:!].*$/, '') })),
    });
    expect(shas.map(([, , subject]) => subject)).toEqual(expect.arrayContaining(['docs(billing):', 'feat(billing):']));
  });
});
