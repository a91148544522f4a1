import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Small caches kept in the repository's git directory (shared by its work trees, never committed): what
 * is a pure function of committed history or of a file's text, and costs more to make than to read.
 * Each entry stores its whole key and is used only when the key is equal, so a stale or foreign entry is
 * never used, only remade; any error reading or writing one just means no cache.
 */
export function cacheDirFor(commonDir: string): string {
  return path.join(commonDir, 'shipgate');
}

/**
 * The git directory shared by the work trees above `cwd`, found on the file system (asking git costs a
 * process): `.git` itself, or for a linked work tree the directory its `commondir` names. Undefined where
 * git would be told otherwise (GIT_DIR) or the layout is not the usual one.
 */
export function findCommonDir(cwd: string): string | undefined {
  if (process.env['GIT_DIR'] !== undefined || process.env['GIT_COMMON_DIR'] !== undefined) return undefined;
  try {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      const dotGit = path.join(dir, '.git');
      if (existsSync(dotGit)) {
        if (statSync(dotGit).isDirectory()) return dotGit;
        const gitDir = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
        if (gitDir === undefined) return undefined;
        const own = path.resolve(dir, gitDir);
        const common = path.join(own, 'commondir');
        return existsSync(common) ? path.resolve(own, readFileSync(common, 'utf8').trim()) : own;
      }
      if (path.dirname(dir) === dir) return undefined;
    }
  } catch {
    return undefined;
  }
}

/** A short file name for a key (FNV-1a, two lanes); the key itself decides whether an entry is used. */
export function cacheName(prefix: string, key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.length; i += 1) {
    const code = key.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x27d4eb2f);
  }
  return `${prefix}-${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}.json`;
}

export function readCache<T>(dir: string | undefined, name: string, key: string): T | undefined {
  if (dir === undefined) return undefined;
  try {
    const entry = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { key?: unknown; value?: T };
    return entry.key === key ? entry.value : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCache(dir: string | undefined, name: string, key: string, value: unknown): Promise<void> {
  if (dir === undefined) return;
  try {
    mkdirSync(dir, { recursive: true });
    const { writeFileAtomic } = await import('./write-file-atomic.js');
    await writeFileAtomic(path.join(dir, name), JSON.stringify({ key, value }));
  } catch {
    // A read-only repository, a full disk: the next run makes it again.
  }
}
