import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextFileReader } from './read-text-files.js';

const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
}

describe('TextFileReader', () => {
  it('reads files in turn through one buffer without one bleeding into the next', () => {
    const reader = new TextFileReader();
    const long = file('long.sql', `-- ${'x'.repeat(1000)}\nSELECT 1;\n`);
    const short = file('short.sql', 'SELECT 2;\n');
    expect(reader.read(long)).toBe(`-- ${'x'.repeat(1000)}\nSELECT 1;\n`);
    expect(reader.read(short)).toBe('SELECT 2;\n');
    expect(reader.read(file('empty.sql', ''))).toBe('');
  });

  it('reads a file larger than its buffer whole, with multi-byte characters across the buffer boundary', () => {
    // 65,535 ASCII bytes put the 3-byte "€" across the 64 KiB boundary of the first read.
    const text = `${'a'.repeat(65_535)}€${'b'.repeat(200_000)}\n-- fin`;
    expect(new TextFileReader().read(file('big.sql', text))).toBe(text);
  });

  it('drops a UTF-8 byte order mark and keeps non-ASCII text', () => {
    const text = "COMMENT ON COLUMN t.c IS 'déprécié — ملاحظة';\n";
    expect(new TextFileReader().read(file('bom.sql', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])))).toBe(text);
  });

  it('fails with the system error for a missing file or a directory', () => {
    const reader = new TextFileReader();
    expect(() => reader.read(path.join(dir, 'missing.sql'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    mkdirSync(path.join(dir, 'folder.sql'));
    expect(() => reader.read(path.join(dir, 'folder.sql'))).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});
