import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CliIo, writeChunks } from './io.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('writeChunks', () => {
  it("hands everything to a test's out() at once when the io writes no pieces", () => {
    const outs: string[] = [];
    const io: CliIo = { out: (text) => void outs.push(text), err: () => undefined, isTty: false, cwd: '/', env: {}, now: () => new Date(0) };
    writeChunks(io, ['a', 'b\n', 'c\n']);
    expect(outs).toEqual(['ab\nc\n']);
  });
});

describe('writePieces to a real pipe', () => {
  // A child process writes 5 MB of pieces (with multi-byte and astral characters, one piece larger than
  // the 1 MiB buffer) to its stdout, a pipe this process reads only after the child has filled it.
  const script = `
    import { writePieces } from ${JSON.stringify(path.join(here, 'fd-writer.ts'))};
    const nonBlocking = process.argv.includes('--touch-stdout');
    if (nonBlocking) process.stdout; // Node makes the pipe non-blocking: the writer must wait on EAGAIN
    const pieces = [];
    for (let i = 0; i < 20000; i += 1) pieces.push(\`{"n":\${i},"text":"é😀 \${'x'.repeat(200)}"}\\n\`);
    pieces.push('a' + '😀'.repeat(700000) + '\\n');
    writePieces(1, pieces);
    process.stderr.write(pieces.join('').length + '\\n');
  `;

  for (const mode of ['blocking', 'non-blocking'] as const) {
    it(`writes every byte in order to a ${mode} pipe whose reader is slow`, () => {
      const result = runScript(`node --import tsx "$SCRIPT" ${mode === 'non-blocking' ? '--touch-stdout' : ''} | (sleep 0.3; cat)`);
      expect(result.status).toBe(0);
      const expected: string[] = [];
      for (let i = 0; i < 20000; i += 1) expected.push(`{"n":${i},"text":"é😀 ${'x'.repeat(200)}"}\n`);
      expected.push(`a${'😀'.repeat(700000)}\n`);
      expect(result.stdout.length).toBe(Number(result.stderr.trim()));
      expect(result.stdout).toBe(expected.join(''));
    });
  }

  it('stops quietly when the reader goes away (EPIPE), as `| head` does', () => {
    const result = runScript('node --import tsx "$SCRIPT" | head -c 100 > /dev/null; echo "${PIPESTATUS[0]}" >&2');
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('0');
    expect(result.stderr).not.toMatch(/Error|EPIPE/);
  });

  /** Runs the script under bash, its stdout into `pipeline`; stdout and stderr of the whole come back. */
  function runScript(pipeline: string): { status: number | null; stdout: string; stderr: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-pipe-'));
    try {
      writeFileSync(path.join(dir, 'write.mjs'), script);
      return spawnSync('bash', ['-c', pipeline], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        cwd: path.resolve(here, '../..'),
        env: { ...process.env, SCRIPT: path.join(dir, 'write.mjs') },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
