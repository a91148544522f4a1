import { readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import { expand, fixedPrefix } from './collect-evidence.js';
import { readGateEvidence, type GateEvidence } from './gate-evidence.js';
import type { CodeownersSource } from './read-codeowners.js';
import { readRefState } from './ref-state.js';

export type EvidenceReader = (options: { cwd: string; policy: Policy; codeowners: CodeownersSource; release: ReleaseRecord }) => Promise<GateEvidence>;

/**
 * readGateEvidence for a server answering the same gates again and again: each read spawns several
 * gits (is the candidate carried, what changed since the last tag, the candidate's files, CODEOWNERS
 * on main) and parses every report. Its result depends only on
 *   - the clone's refs (HEAD, main, the tags): git answers the same while they point where they did;
 *   - the release's candidate, last tag, path and bump, its evidence patterns, and the policy;
 *   - the files below the report and migration directories of the working tree, which CI rewrites
 *     without a commit: their names, sizes, modification times and inodes are part of the key.
 * So a read is reused while all of them are unchanged, and read again the moment one is not. A read
 * that failed (a broken report) is never kept.
 */
export function cachedGateEvidence(options: { maxAgeMs?: number; max?: number } = {}): EvidenceReader {
  const max = options.max ?? 500;
  const entries = new Map<string, Promise<GateEvidence>>();
  const policies = new WeakMap<Policy, number>();
  let policyCount = 0;
  return async (input) => {
    const { cwd, policy, release } = input;
    let policyId = policies.get(policy);
    if (policyId === undefined) policies.set(policy, (policyId = (policyCount += 1)));
    const refs = await readRefState(cwd, options.maxAgeMs ?? 0);
    const files = workingTreeFiles(cwd, policy, release);
    // The component and version matter only through the evidence patterns they expand ({name}, {version}):
    // releases of one candidate whose patterns read alike share a read.
    const patterns = evidencePatterns(policy).map((pattern) => expand(pattern, release));
    const key = JSON.stringify([cwd, refs, policyId, JSON.stringify(input.codeowners), release.commit, release.lastTag, release.path, release.bump, patterns, files]);
    const hit = entries.get(key);
    if (hit !== undefined) {
      // Most recently used last: the first key is the one to drop when the map is full.
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    const read = readGateEvidence(input);
    entries.set(key, read);
    read.catch(() => entries.delete(key));
    for (const oldest of entries.keys()) {
      if (entries.size <= max) break;
      entries.delete(oldest);
    }
    return read;
  };
}

/** Every evidence pattern of the policy (checklist, smoke tests, the RFC), before {name} and {version} are filled in. */
function evidencePatterns(policy: Policy): string[] {
  return [...policy.checklist.flatMap((item) => item.evidence.paths), ...policy.gates.smokeTests.paths, ...policy.gates.rfc.paths];
}

/** The directories evidence is read from in the working tree: each report pattern's fixed prefix and the migrations paths, at the root and under the component. */
function evidenceRoots(policy: Policy, release: ReleaseRecord): string[] {
  const patterns = [
    ...policy.checklist.flatMap((item) => (item.evidence.kind === 'junit' || item.evidence.kind === 'sarif' ? item.evidence.paths : [])),
    ...policy.gates.smokeTests.paths,
  ].map((pattern) => fixedPrefix(expand(pattern, release)));
  const roots = [...new Set([...patterns, ...policy.migrations.paths].flatMap((root) => (release.path === '' ? [root] : [root, path.posix.join(release.path, root)])))].sort();
  // A root below another is walked with it (reports/junit inside reports).
  return roots.filter((root) => !roots.some((other) => other !== root && (other === '' || root.startsWith(`${other}/`))));
}

/**
 * Every file below the roots with what tells a rewrite apart; a root that is missing says so. Read
 * synchronously on purpose: a few report files are stat-ed in microseconds, far less than a trip
 * through the thread pool per file (and a thrown error per missing root) costs a busy server.
 */
function workingTreeFiles(cwd: string, policy: Policy, release: ReleaseRecord): string[] {
  const found: string[] = [];
  const describe = (file: string, info: Stats | undefined) => (info === undefined ? `${file} missing` : `${file} ${info.size} ${info.mtimeMs} ${info.ino}`);
  const visit = (relative: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(cwd, relative), { withFileTypes: true });
    } catch (error) {
      found.push(`${relative}/ ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      return;
    }
    for (const entry of entries) {
      const file = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules' && entry.name !== '.shipgate') visit(file);
        // Followed through a symlink: a report that is a link is judged by what it points at.
      } else found.push(describe(file, statSync(path.join(cwd, file), { throwIfNoEntry: false })));
    }
  };
  for (const root of evidenceRoots(policy, release)) {
    // The root itself may be missing, a file or a link; its own state is part of the key too.
    const info = statSync(path.join(cwd, root), { throwIfNoEntry: false });
    if (info?.isDirectory()) visit(root);
    else found.push(describe(root, info));
  }
  return found;
}
