import type Crypto from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Writes through a temporary file in the same directory and renames it, so a crash never leaves half a file. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  // Loaded here: node:crypto is 10 ms of start-up for the commands that import this and seldom write
  // (required, not imported: the one-command bundles are scripts, which cannot import()).
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Removes the temporary files a writeFileAtomic of `file` killed before its rename left beside it. */
export async function removeTemporaries(file: string): Promise<void> {
  const base = path.basename(file);
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  const left = names.filter((name) => name.length === base.length + 18 && name.startsWith(`.${base}.`) && /^\.[0-9a-f]{12}\.tmp$/.test(name.slice(base.length + 1)));
  await Promise.all(left.map((name) => rm(path.join(path.dirname(file), name), { force: true })));
}
