import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { git } from '../git/run-git.js';
import type { Policy } from '../policy/schema.js';
import { builtinPolicyData, findPolicyFile, loadPolicy, policyParser, POLICY_FILE_NAMES, validPolicy } from './load-policy.js';
import type { CodeownersSource } from './read-codeowners.js';
import { readCommittedFile, type CommittedFile } from './read-committed.js';

/**
 * Which policy and CODEOWNERS decide a release's gates. Approvals, waivers, notices and state changes
 * are recorded under the policy committed on the main branch and nothing else: neither a local edit
 * nor `--policy` can let someone approve, waive or ship what main's policy does not allow. Another
 * policy may only preview what `check` would say under it.
 */
export interface GoverningPolicy {
  readonly policy: Policy;
  /** What decides, for people: `shipgate.yaml on main (1a2b3c4)`, `the built-in policy (...)`, or the previewed file. */
  readonly source: string;
  readonly codeowners: CodeownersSource;
  /** The policy file a preview is made under; null when main's committed policy decides. */
  readonly preview: string | null;
  /** How the working-tree policy differs from main's (a warning for `check`); null when it does not. */
  readonly drift: string | null;
}

/** The built-in policy's name for the main branch. */
const DEFAULT_MAIN = 'main';

interface MainPolicy {
  readonly branch: string;
  readonly commit: string;
  readonly policy: Policy;
  /** Undefined when the branch has no policy file: then the built-in policy governs. */
  readonly committed: CommittedFile | undefined;
}

interface LocalPolicyFile {
  readonly file: string;
  readonly text: string;
}

/** For commands that record a decision: main's committed policy, refused while another is in play. */
export async function recordingPolicy(options: { cwd: string; policyFile: string | undefined }): Promise<GoverningPolicy> {
  if (options.policyFile !== undefined) {
    throw new ShipgateError('EPOLICYSOURCE', `--policy ${options.policyFile} may preview a decision but not record one: approvals, waivers, notices and release changes are decided by the policy committed on the main branch`, {
      category: 'usage',
      hint: `drop --policy; to change the policy, commit and merge the change to the main branch first (\`shipgate --policy ${options.policyFile} check <release>\` previews it)`,
    });
  }
  const main = await mainPolicy(options.cwd);
  const drift = driftFrom(main, await localPolicyFile(options.cwd));
  if (drift !== null) {
    throw new ShipgateError('EPOLICYSOURCE', `${drift.message}: approvals, waivers, notices and release changes are decided by the policy committed on ${main.branch}`, { category: 'conflict', hint: drift.hint });
  }
  return governedBy(main, null);
}

/** For `check`: main's committed policy, or a preview under the `--policy` file (with the working tree's CODEOWNERS). */
export async function checkingPolicy(options: { cwd: string; policyFile: string | undefined }): Promise<GoverningPolicy> {
  if (options.policyFile !== undefined) {
    const loaded = await loadPolicy(options);
    return { policy: loaded.policy, source: `${loaded.source} (preview)`, codeowners: 'working-tree', preview: loaded.source, drift: null };
  }
  const main = await mainPolicy(options.cwd);
  const local = await localPolicyFile(options.cwd);
  const drift = driftFrom(main, local);
  const preview = local === undefined ? '' : `; preview yours with \`shipgate --policy ${local.file} check <release>\``;
  return governedBy(main, drift === null ? null : `${drift.message}: this report is decided by the policy committed on ${main.branch}${preview}`);
}

/**
 * For `shipgate serve`: main's committed policy as last fetched. The server's clone is kept current
 * by fetching, which moves origin/main; a local main may lag behind it (it is moved only when it can
 * be fast-forwarded), so origin's copy decides when the clone has one. The working tree plays no part:
 * nobody edits a server's checkout to change what it decides.
 */
export async function serverPolicy(options: { cwd: string }): Promise<GoverningPolicy> {
  return governedBy(await mainPolicy(options.cwd, 'remote'), null);
}

/** Which copy of the main branch decides: the local branch (a developer's clone) or origin's (the server's). */
type Prefer = 'local' | 'remote';

function governedBy(main: MainPolicy, drift: string | null): GoverningPolicy {
  const source = main.committed ? `${main.committed.file} on ${main.branch} (${main.commit.slice(0, 7)})` : `the built-in policy (${main.branch} has no ${POLICY_FILE_NAMES[0]})`;
  return { policy: main.policy, source, codeowners: { at: main.commit }, preview: null, drift };
}

/*
 * How the main branch is found. The policy names it (branches.main.name), and the policy that counts
 * is the one committed on it, so the name cannot be taken from just any policy: a branch whose own
 * shipgate.yaml called it the main branch would then govern itself. So the built-in name comes first:
 * when a branch `main` exists, the policy committed there says which branch is main (it may name
 * another, e.g. trunk, and the policy committed on trunk must agree). Only a repository with no branch
 * `main` takes the name from the working tree's policy, to locate the branch, and the policy committed
 * on that branch must then name itself. A local branch is preferred to origin's copy of it; a CI
 * checkout often has only the latter.
 */
async function mainPolicy(cwd: string, prefer: Prefer = 'local'): Promise<MainPolicy> {
  const atDefault = await policyOnBranch(cwd, DEFAULT_MAIN, prefer);
  if (atDefault !== undefined) {
    const named = atDefault.policy.branches.main.name;
    return named === DEFAULT_MAIN ? atDefault : agreeingPolicy(cwd, named, `the policy committed on ${DEFAULT_MAIN}`, prefer);
  }
  const local = (await loadPolicy({ cwd, policyFile: undefined })).policy.branches.main.name;
  if (local === DEFAULT_MAIN) throw noBranch(DEFAULT_MAIN, 'the policy');
  return agreeingPolicy(cwd, local, 'the working-tree policy', prefer);
}

async function agreeingPolicy(cwd: string, branch: string, namedBy: string, prefer: Prefer): Promise<MainPolicy> {
  const found = await policyOnBranch(cwd, branch, prefer);
  if (found === undefined) throw noBranch(branch, namedBy);
  const named = found.policy.branches.main.name;
  if (named !== branch) {
    throw new ShipgateError('EMAINBRANCH', `${namedBy} names ${branch} as the main branch, but the policy committed on ${branch} names ${named}`, {
      category: 'input',
      hint: `set branches.main.name to the same branch in both and commit it on ${branch}`,
    });
  }
  return found;
}

function noBranch(branch: string, namedBy: string): ShipgateError {
  return new ShipgateError('EMAINBRANCH', `there is no branch ${branch}, the main branch ${namedBy} names (branches.main.name): releases are decided by the policy committed on it`, {
    category: 'input',
    hint: `create the branch (or fetch origin/${branch}), or set branches.main.name to your main branch and commit that there`,
  });
}

async function policyOnBranch(cwd: string, branch: string, prefer: Prefer): Promise<MainPolicy | undefined> {
  const commit = await branchCommit(cwd, branch, prefer);
  if (commit === undefined) return undefined;
  const committed = await readCommittedFile(cwd, commit, POLICY_FILE_NAMES, 'policy file');
  if (committed === undefined) return { branch, commit, policy: await builtinPolicyData(), committed };
  // The parser brings zod and yaml: loaded only when there is a policy file to parse.
  const parsePolicyText = await policyParser();
  const display = `${branch}:${committed.file}`;
  return { branch, commit, policy: validPolicy(parsePolicyText(committed.text, display), display, committed.file), committed };
}

async function branchCommit(cwd: string, branch: string, prefer: Prefer): Promise<string | undefined> {
  const local = `refs/heads/${branch}`;
  const remote = `refs/remotes/origin/${branch}`;
  const { stdout } = await git(['for-each-ref', '--format=%(refname)%00%(objectname)', local, remote], { cwd });
  // for-each-ref takes patterns: only an exact name counts.
  const refs = new Map(stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\0') as [string, string]));
  return prefer === 'local' ? (refs.get(local) ?? refs.get(remote)) : (refs.get(remote) ?? refs.get(local));
}

async function localPolicyFile(cwd: string): Promise<LocalPolicyFile | undefined> {
  const absolute = findPolicyFile(cwd, undefined);
  if (absolute === undefined) return undefined;
  const file = path.relative(cwd, absolute);
  try {
    return { file, text: await readFile(absolute, 'utf8') };
  } catch (cause) {
    throw errors.fileUnreadable(file, cause);
  }
}

/** How the working tree's policy file differs from the one committed on main, and what to do about it. */
function driftFrom(main: MainPolicy, local: LocalPolicyFile | undefined): { message: string; hint: string } | null {
  const { committed, branch } = main;
  if (local === undefined && committed === undefined) return null;
  if (local !== undefined && committed !== undefined && local.file === committed.file && local.text === committed.text) return null;
  if (committed === undefined) {
    return { message: `${local!.file} is not committed on ${branch}, so the built-in policy governs`, hint: `commit and merge ${local!.file} to ${branch} first` };
  }
  const restore = `git checkout ${branch} -- ${committed.file}`;
  if (local === undefined) return { message: `there is no ${committed.file} here, but ${branch} has one`, hint: `restore ${branch}'s: ${restore}` };
  const what = local.file === committed.file ? `${local.file} differs from the one committed on ${branch}` : `${local.file} is here, but ${branch} has ${committed.file}`;
  return { message: what, hint: `commit and merge the change to ${branch} first, or restore ${branch}'s: ${restore}` };
}
