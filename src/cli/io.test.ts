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

describe('every command writes through io to a closed pipe quietly', () => {
  // `shipgate policy check big.yaml | head -1`: the reader leaves after one line while the CLI still has
  // thousands to write. Before, process.stdout raised an unhandled EPIPE and the process crashed.
  it('exits as usual (1 for a policy with errors, 0 otherwise) with nothing on stderr', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-epipe-'));
    try {
      const policy = ['version: 1', 'freeze:', ...Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1`)].join('\n');
      writeFileSync(path.join(dir, 'big.yaml'), policy);
      const bin = path.resolve(here, '../../bin/shipgate.js');
      const run = (command: string) =>
        spawnSync('bash', ['-c', `node "$BIN" ${command} | head -1 > /dev/null; echo "exit \${PIPESTATUS[0]}" >&2`], { cwd: dir, encoding: 'utf8', env: { ...process.env, BIN: bin } });
      for (const [command, code] of [['policy check big.yaml', 1], ['policy check big.yaml --json', 1], ['policy schema', 0], ['calendar --no-versions --from 2026-01-01 --to 2199-01-01', 0]] as const) {
        const result = run(command);
        expect(result.stderr.trim().split('\n').at(-1), command).toBe(`exit ${code}`);
        expect(result.stderr, command).not.toMatch(/EPIPE|Error|\n\s+at /);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
