import { readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import { expand, fixedPrefix } from './collect-evidence.js';
import { readGateEvidence, type GateEvidence } from './gate-evidence.js';
import type { CodeownersSource } from './read-codeowners.js';
import { readRefState, refMoves } from './ref-state.js';

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
 *
 * With `maxAgeMs`, the clone is looked at (its refs and its report files) at most that often for one
 * release: a release's gates asked again within that time reuse its read without a git or a stat,
 * as the refs alone already are (ref-state.ts); this process's own fetches end that at once.
 */
export function cachedGateEvidence(options: { maxAgeMs?: number; max?: number } = {}): EvidenceReader {
  const max = options.max ?? 500;
  const maxAgeMs = options.maxAgeMs ?? 0;
  const entries = new Map<string, Promise<GateEvidence>>();
  const recent = new Map<string, { at: number; read: Promise<GateEvidence> }>();
  const listings = new Map<string, { at: number; files: readonly string[] }>();
  const policies = new WeakMap<Policy, number>();
  let policyCount = 0;
  const keep = <V>(map: Map<string, V>, key: string, value: V) => {
    // Most recently used last: the first key is the one to drop when the map is full.
    map.delete(key);
    map.set(key, value);
    for (const oldest of map.keys()) {
      if (map.size <= max) break;
      map.delete(oldest);
    }
  };
  return async (input) => {
    const { cwd, policy, release } = input;
    let policyId = policies.get(policy);
    if (policyId === undefined) policies.set(policy, (policyId = policyCount += 1));
    const now = performance.now();
    // The policy object is that of one state of main (policy-source.ts): a new state is a new object.
    const recentKey = JSON.stringify([cwd, refMoves(cwd), policyId, typeof input.codeowners === 'string' ? input.codeowners : input.codeowners.at, release.id, release.commit, release.lastTag, release.path, release.bump]);
    const young = maxAgeMs > 0 ? recent.get(recentKey) : undefined;
    if (young !== undefined && now - young.at <= maxAgeMs) return young.read;
    const read = readKeyed(input, policyId);
    if (maxAgeMs > 0) {
      keep(recent, recentKey, { at: now, read });
      read.catch(() => recent.delete(recentKey));
    }
    return read;
  };

  /** The listing of the roots, shared for maxAgeMs by every release whose evidence lies there. */
  function listedFiles(cwd: string, roots: readonly string[], now: number): readonly string[] {
    if (maxAgeMs <= 0) return workingTreeFiles(cwd, roots);
    // A fetch of this process's may have checked out other migration files: its listing is not reused.
    const key = JSON.stringify([cwd, refMoves(cwd), roots]);
    const young = listings.get(key);
    if (young !== undefined && now - young.at <= maxAgeMs) return young.files;
    const files = workingTreeFiles(cwd, roots);
    keep(listings, key, { at: now, files });
    return files;
  }

  async function readKeyed(input: Parameters<EvidenceReader>[0], policyId: number): Promise<GateEvidence> {
    const { cwd, policy, release } = input;
    const refs = await readRefState(cwd, maxAgeMs);
    const files = listedFiles(cwd, evidenceRoots(policy, release), performance.now());
    // The component and version matter only through the evidence patterns they expand ({name}, {version}):
    // releases of one candidate whose patterns read alike share a read.
    const patterns = evidencePatterns(policy).map((pattern) => expand(pattern, release));
    const key = JSON.stringify([cwd, refs, policyId, JSON.stringify(input.codeowners), release.commit, release.lastTag, release.path, release.bump, patterns, files]);
    const hit = entries.get(key);
    if (hit !== undefined) {
      keep(entries, key, hit);
      return hit;
    }
    const read = readGateEvidence(input);
    keep(entries, key, read);
    read.catch(() => entries.delete(key));
    return read;
  }
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
function workingTreeFiles(cwd: string, roots: readonly string[]): string[] {
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
  for (const root of roots) {
    // The root itself may be missing, a file or a link; its own state is part of the key too.
    const info = statSync(path.join(cwd, root), { throwIfNoEntry: false });
    if (info?.isDirectory()) visit(root);
    else found.push(describe(root, info));
  }
  return found;
}
