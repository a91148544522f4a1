import { git } from '../git/run-git.js';
import type { Policy } from '../policy/schema.js';
import { isReleaseCommit } from '../versioning/tag-template.js';

/**
 * Whether HEAD is `commit`, or only shipgate's own release commits (`version`'s "Release billing
 * v2.0.1") were made on top of it. Those change versions and CHANGELOGs and nothing the gates judge,
 * so the candidate's approvals and reports still hold at HEAD.
 */
export async function headCarriesCandidate(cwd: string, policy: Policy, commit: string): Promise<boolean> {
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd, okCodes: [1] });
  if (head.code !== 0) return false;
  if (head.stdout.trim() === commit) return true;
  const ancestor = await git(['merge-base', '--is-ancestor', '--end-of-options', commit, 'HEAD'], { cwd, okCodes: [1, 128] });
  if (ancestor.code !== 0) return false;
  const { stdout } = await git(['log', '--format=%s', '--end-of-options', `${commit}..HEAD`], { cwd });
  const templates = Object.values(policy.components).map((kind) => kind.commitMessage);
  return stdout.split('\n').filter((subject) => subject !== '').every((subject) => isReleaseCommit(subject, templates));
}
