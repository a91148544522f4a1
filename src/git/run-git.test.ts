import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, createRepo } from '../../test/helpers/git-repo.js';
import { gitRecords } from './run-git.js';

const track = cleanupAfterEach();
const SEP = '\u001e';

describe('gitRecords', () => {
  it('hands out each record of a git log in order, a body with CR LF kept as written', async () => {
    const repo = track(createRepo());
    repo.commit('first');
    // git trims a message's line ends unless told to keep it verbatim.
    repo.git('commit', '--quiet', '--allow-empty', '--cleanup=verbatim', '-m', 'second\r\n\r\nbody line');
    const records: string[] = [];
    await gitRecords(['log', `--format=${SEP}%B`], { cwd: repo.dir }, SEP, (record) => records.push(record));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatch(/^second\r\n\r\nbody line\n/);
    expect(records[1]).toMatch(/^first\n/);
  });

  it('has no records, and no error, in a repository without commits', async () => {
    const repo = track(createRepo());
    const records: string[] = [];
    await gitRecords(['log', `--format=${SEP}%H`], { cwd: repo.dir }, SEP, (record) => records.push(record));
    expect(records).toEqual([]);
  });

  it('fails as every git command does: outside a repository, one user error and what to do', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-not-git-'));
    try {
      await expect(gitRecords(['log', `--format=${SEP}%H`], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(dir) } }, SEP, () => undefined)).rejects.toMatchObject({
        code: 'ENOTGIT',
        message: 'not inside a git repository',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
