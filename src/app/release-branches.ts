import semver from 'semver';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { assertRefNames } from '../git/check-ref-name.js';
import { readRepoState, assertWritable } from '../git/repo-state.js';
import { readTags } from '../git/read-tags.js';
import { git } from '../git/run-git.js';
import { discoverComponents } from '../manifests/discover-components.js';
import type { Policy } from '../policy/schema.js';
import { findLastRelease, renderTag, tagMatcher } from '../versioning/tag-template.js';
import { removeJournal, writeJournal } from './journal-file.js';
import { withRepositoryWrite, type Recovery, type WriteOptions } from './write-repository.js';

export interface BranchResult {
  readonly branch: string;
  readonly from: string;
  readonly version: string;
  /** What was done first with a shipgate run that had been cut short. */
  readonly recovered?: Recovery;
}

/** How a command waits for the repository lock (see write-repository.ts). */
export type LockWait = Pick<WriteOptions, 'waitMs' | 'onWait' | 'now'>;

/** `shipgate branch release <component> <version>`: a release branch from HEAD, named by the policy. */
export async function createReleaseBranch(cwd: string, policy: Policy, componentName: string, version: string, options: { switchTo: boolean; lock: LockWait }): Promise<BranchResult> {
  if (!semver.valid(version)) throw new ShipgateError('EVERSION', `"${version}" is not a SemVer version`, { category: 'usage', hint: 'e.g. 2.1.0' });
  return withRepositoryWrite(cwd, { command: 'branch release', ...options.lock }, async ({ recovered }) => {
    const state = await readRepoState(cwd);
    assertWritable(state, false);
    await findComponent(state.root, policy, componentName);
    const branch = renderTag(policy.branches.release, { name: componentName, version: semver.valid(version) as string });
    await assertRefNames(state.root, 'branch', [{ name: branch, template: policy.branches.release }]);
    await createBranch(state.root, branch, 'HEAD', options.switchTo);
    return { branch, from: state.branch ?? 'HEAD', version, ...(recovered === undefined ? {} : { recovered }) };
  });
}

/** `shipgate branch hotfix <component>`: from the component's production (highest release) tag, for the next PATCH. */
export async function createHotfixBranch(cwd: string, policy: Policy, componentName: string, options: { switchTo: boolean; lock: LockWait }): Promise<BranchResult> {
  return withRepositoryWrite(cwd, { command: 'branch hotfix', ...options.lock }, async ({ recovered }) => {
    const state = await readRepoState(cwd);
    assertWritable(state, false);
    const component = await findComponent(state.root, policy, componentName);
    const tags = await readTags(state.root);
    const { lastTag, lastVersion } = findLastRelease(tags.map((t) => t.name), tagMatcher(policy.components[component.kind]!.tag, component.name));
    if (lastTag === null || lastVersion === null) {
      throw new ShipgateError('ENOTAG', `${componentName} has no release tag to hotfix`, { category: 'not-found', hint: `a hotfix starts from the production tag, e.g. ${renderTag(policy.components[component.kind]!.tag, { name: componentName, version: '1.0.0' })}` });
    }
    const version = semver.inc(lastVersion, 'patch') as string;
    const template = policy.releaseTypes.hotfix.branch ?? policy.branches.hotfix;
    const branch = renderTag(template, { name: componentName, version });
    await assertRefNames(state.root, 'branch', [{ name: branch, template }]);
    // The tag by its full name: a branch of the same name must not be taken for it.
    await createBranch(state.root, branch, `refs/tags/${lastTag}`, options.switchTo);
    return { branch, from: lastTag, version, ...(recovered === undefined ? {} : { recovered }) };
  });
}

export interface PickResult {
  readonly branch: string;
  readonly picked: readonly { readonly sha: string; readonly commit: string }[];
  readonly recovered?: Recovery;
}

/**
 * `shipgate cherry-pick <sha...>` onto the current release or hotfix branch, with `-x` so each pick
 * names its origin. A conflict undoes every pick of this run: the branch is left as it was. So does a
 * run cut short (killed, a crash): its journal has the next writing command put the branch back.
 */
export async function cherryPick(cwd: string, policy: Policy, shas: readonly string[], options: { lock: LockWait; now: Date }): Promise<PickResult> {
  return withRepositoryWrite(cwd, { command: 'cherry-pick', ...options.lock }, async ({ dirs, recovered }) => {
    const state = await readRepoState(cwd);
    assertWritable(state, false);
    const prefixes = [policy.branches.release, policy.branches.hotfix, policy.releaseTypes.hotfix.branch ?? ''].map((t) => t.split('{')[0]).filter((p): p is string => !!p);
    if (!prefixes.some((prefix) => state.branch?.startsWith(prefix))) {
      throw new ShipgateError('EBRANCH', `"${state.branch}" is not a release or hotfix branch`, { category: 'conflict', hint: `switch to a ${prefixes.join('… or ')}… branch first (shipgate branch release|hotfix)` });
    }
    // Every sha is resolved before the first pick, so a typo changes nothing.
    const resolved: string[] = [];
    for (const sha of shas) {
      const found = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${sha}^{commit}`], { cwd: state.root, okCodes: [1] });
      if (found.code !== 0) throw new ShipgateError('EREV', `"${sha}" is not a commit in this repository`, { category: 'not-found', hint: 'check the sha; nothing was applied' });
      resolved.push(found.stdout.trim());
    }
    const start = state.head as string;
    await writeJournal(dirs.gitDir, { kind: 'cherry-pick', startedAt: options.now.toISOString(), branch: state.branch as string, start, shas: resolved });
    const picked: { sha: string; commit: string }[] = [];
    for (const [index, sha] of shas.entries()) {
      const result = await git(['cherry-pick', '-x', '--end-of-options', resolved[index]!], { cwd: state.root, okCodes: [1] });
      if (result.code !== 0) {
        const conflicts = (await git(['diff', '--name-only', '--diff-filter=U'], { cwd: state.root })).stdout.trim().split('\n').filter(Boolean);
        await git(['cherry-pick', '--abort'], { cwd: state.root, okCodes: [1, 128] });
        // The work tree was clean before the first pick, so a hard reset loses nothing of the user's.
        await git(['reset', '--quiet', '--hard', start, '--'], { cwd: state.root });
        await removeJournal(dirs.gitDir);
        const where = conflicts.length > 0 ? ` in ${conflicts.join(', ')}` : '';
        throw new ShipgateError('ECONFLICT', `cherry-pick of ${sha.slice(0, 12)} conflicts${where}; nothing was applied`, {
          category: 'rule',
          hint: 'resolve it by hand with `git cherry-pick -x`, or pick the commits it depends on first',
        });
      }
      picked.push({ sha, commit: (await git(['rev-parse', 'HEAD'], { cwd: state.root })).stdout.trim() });
    }
    await removeJournal(dirs.gitDir);
    return { branch: state.branch as string, picked, ...(recovered === undefined ? {} : { recovered }) };
  });
}

async function findComponent(root: string, policy: Policy, name: string) {
  const { components } = await discoverComponents(root, policy);
  const component = components.find((c) => c.name === name);
  if (!component) throw errors.unknownComponent(name, components.map((c) => c.name));
  return component;
}

async function createBranch(root: string, branch: string, from: string, switchTo: boolean): Promise<void> {
  const exists = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/heads/${branch}`], { cwd: root, okCodes: [1] });
  if (exists.code === 0) throw new ShipgateError('EBRANCH', `branch ${branch} already exists`, { category: 'conflict', hint: `switch to it with \`git switch ${branch}\`` });
  await git(switchTo ? ['switch', '--quiet', `--create=${branch}`, '--end-of-options', from] : ['branch', '--end-of-options', branch, from], { cwd: root });
}
