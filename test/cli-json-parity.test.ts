import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyVersion, versionJson } from '../src/app/apply-version.js';
import { approveRelease } from '../src/app/approve-release.js';
import { attachPostmortem } from '../src/app/attach-postmortem.js';
import { checkUnderPolicy, gateReportJson } from '../src/app/check-release.js';
import { createRelease } from '../src/app/create-release.js';
import { checkingPolicy, recordingPolicy, type GoverningPolicy } from '../src/app/governing-policy.js';
import { loadPolicy } from '../src/app/load-policy.js';
import { noticeJson, recordNotice } from '../src/app/record-notice.js';
import { listReleaseRecords, showRelease } from '../src/app/show-release.js';
import { showNotes } from '../src/app/show-notes.js';
import { planJson, showPlan } from '../src/app/show-plan.js';
import { waiveGate, waiverJson } from '../src/app/waive-gate.js';
import { renderNext } from '../src/cli/render-next.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { billingRepo, commitDocs, PEOPLE, putPassingReports } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { runCli, tempDir } from './helpers/run-cli.js';

/** What `printJson` writes: the server returns the same object, so the same text. */
const printed = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
/** Two stores written at different moments differ only in the store's clock. */
const clockless = (text: string) => text.replace(/"(at|createdAt|updatedAt|ends)": "[^"]+"/g, '"$1": "T"');

describe('each command\'s --json is the JSON of the app function the server will call', () => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let governing: GoverningPolicy;
  /** The CLI writes one store, the app functions an identical twin; reads compare on the CLI's store. */
  let cliDb: string;
  let twin: Store;
  const cli = (as: string, ...args: string[]) => {
    repo.git('config', 'user.email', as);
    const run = runCli([...args, '--json', '--db', cliDb], { cwd: repo.dir });
    expect(run.stderr).toBe('');
    return run.stdout;
  };
  const withCliStore = async <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore({ kind: 'sqlite', file: cliDb });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  /** What every recording app function is given: the repository and main's committed policy, as the CLI uses. */
  const app = () => ({ cwd: repo.dir, policy: governing.policy, codeowners: governing.codeowners });

  beforeAll(async () => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
    temp = tempDir();
    cliDb = path.join(temp.dir, 'cli.db');
    twin = await openStore({ kind: 'sqlite', file: path.join(temp.dir, 'app.db') });
    governing = await recordingPolicy({ cwd: repo.dir, policyFile: undefined });
  });
  afterAll(async () => {
    await twin.close();
    temp.cleanup();
    repo.cleanup();
  });

  it('plan and status', async () => {
    const { policy } = await loadPolicy({ cwd: repo.dir, policyFile: undefined });
    const expected = printed(planJson(await showPlan({ cwd: repo.dir, policy, type: 'scheduled' })));
    expect(runCli(['plan', '--json'], { cwd: repo.dir }).stdout).toBe(expected);
    expect(runCli(['status', '--json'], { cwd: repo.dir }).stdout).toBe(expected);
    const hotfix = printed(planJson(await showPlan({ cwd: repo.dir, policy, type: 'hotfix', train: 'module' })));
    expect(runCli(['plan', '--json', '--type', 'hotfix', '--train', 'module'], { cwd: repo.dir }).stdout).toBe(hotfix);
  });

  it('version --dry-run and notes', async () => {
    const { policy } = await loadPolicy({ cwd: repo.dir, policyFile: undefined });
    const now = new Date();
    const dry = await applyVersion({ cwd: repo.dir, policy, type: 'scheduled', dryRun: true, allowDirty: true, changelog: { now }, lock: { waitMs: 0 }, now });
    expect(runCli(['version', '--dry-run', '--allow-dirty', '--json'], { cwd: repo.dir }).stdout).toBe(printed(versionJson(dry)));
    const notes = await showNotes({ cwd: repo.dir, policy, target: 'billing', date: '2026-02-17', now });
    expect(runCli(['notes', 'billing', '--json', '--date', '2026-02-17'], { cwd: repo.dir }).stdout).toBe(printed(notes));
    await expect(showNotes({ cwd: repo.dir, policy, target: 'billing', date: '17.02.2026', now })).rejects.toMatchObject({ code: 'EDATE', category: 'usage' });
  });

  it('release create, approve, waive, notice and postmortem', async () => {
    const created = await createRelease({ ...app(), store: twin, component: 'billing', type: 'scheduled', actor: PEOPLE.releaser, now: new Date() });
    expect(clockless(cli(PEOPLE.releaser, 'release', 'create', 'billing'))).toBe(clockless(printed(created)));

    const approved = await approveRelease({ ...app(), store: twin, ref: 'billing@2.1.0', role: 'module-team', comment: 'LGTM', actor: PEOPLE.alice });
    expect(clockless(cli(PEOPLE.alice, 'approve', 'billing@2.1.0', '--role', 'module-team', '--comment', 'LGTM'))).toBe(clockless(printed(approved)));

    const waived = waiverJson(await waiveGate({ ...app(), store: twin, ref: 'billing@2.1.0', gate: 'versioning.notice', reason: 'announced at the all-hands', actor: PEOPLE.lead }));
    expect(clockless(cli(PEOPLE.lead, 'waive', 'billing@2.1.0', 'versioning.notice', '--reason', 'announced at the all-hands'))).toBe(clockless(printed(waived)));

    const noticed = noticeJson(await recordNotice({ ...app(), store: twin, ref: 'billing@2.1.0', comment: 'posted in #eng', actor: PEOPLE.releaser }));
    expect(clockless(cli(PEOPLE.releaser, 'notice', 'billing@2.1.0', '--comment', 'posted in #eng'))).toBe(clockless(printed(noticed)));

    const attached = await attachPostmortem({ ...app(), store: twin, ref: 'billing@2.1.0', url: 'https://wiki.example.com/pm/7', actor: PEOPLE.lead });
    expect(clockless(cli(PEOPLE.lead, 'postmortem', 'billing@2.1.0', 'https://wiki.example.com/pm/7'))).toBe(clockless(printed(attached)));
  });

  it('release list, release show and check, byte for byte on the same store', async () => {
    const expected = await withCliStore(async (store) => ({
      list: printed(await listReleaseRecords(store)),
      listOne: printed(await listReleaseRecords(store, 'billing')),
      show: printed(await showRelease(store, 'billing@2.1.0')),
    }));
    expect(cli(PEOPLE.releaser, 'release', 'list')).toBe(expected.list);
    expect(cli(PEOPLE.releaser, 'release', 'list', 'billing')).toBe(expected.listOne);
    expect(cli(PEOPLE.releaser, 'release', 'show', 'billing@2.1.0')).toBe(expected.show);

    const checking = await checkingPolicy({ cwd: repo.dir, policyFile: undefined });
    const report = await withCliStore(async (store) => gateReportJson(await checkUnderPolicy({ store, governing: checking, cwd: repo.dir, ref: 'billing@2.1.0', now: new Date() }), renderNext));
    repo.git('config', 'user.email', PEOPLE.releaser);
    const run = runCli(['check', 'billing@2.1.0', '--json', '--db', cliDb], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(printed(report));
    // Each failing gate says what to do next twice: in the CLI's words, and as data for other clients.
    const team = (JSON.parse(run.stdout) as { gates: { id: string; next: string; nextStep: unknown }[] }).gates.find((gate) => gate.id === 'approvals.team-approvals');
    expect(team).toMatchObject({
      next: '1 more module-team member runs: shipgate approve billing@2.1.0 --role module-team',
      nextStep: { action: 'approve', args: { release: 'billing@2.1.0', role: 'module-team', count: 1 } },
    });
  });
});
