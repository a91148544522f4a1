import { describe, expect, it } from 'vitest';
import { groupMigrations } from './migration-layout.js';

const file = (path: string, text = 'SELECT 1;\n') => ({ path, text });

describe('groupMigrations understands the common layouts', () => {
  it('pairs NAME.up.sql with NAME.down.sql (golang-migrate) and orders versions numerically', () => {
    const migrations = groupMigrations([file('m/10_c.up.sql'), file('m/2_b.down.sql'), file('m/2_b.up.sql'), file('m/10_c.down.sql')]);
    expect(migrations.map((m) => [m.id, m.layout, m.up.length, m.down.length])).toEqual([
      ['m/2_b', 'up-down-files', 1, 1],
      ['m/10_c', 'up-down-files', 1, 1],
    ]);
  });

  it('treats a directory holding up.sql and down.sql as one migration', () => {
    const [migration] = groupMigrations([file('m/2024-01-01-add/down.sql'), file('m/2024-01-01-add/up.sql')]);
    expect(migration).toMatchObject({ id: 'm/2024-01-01-add', layout: 'directory' });
    expect(migration?.down[0]?.file.path).toBe('m/2024-01-01-add/down.sql');
  });

  it('splits dbmate sections, with the transaction option', () => {
    const text = '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- migrate:down\nDROP INDEX i;\n';
    const [migration] = groupMigrations([file('db/migrations/20240101_x.sql', text)]);
    expect(migration?.layout).toBe('dbmate');
    const up = migration?.up[0];
    expect(text.slice(up?.from, up?.to)).toBe('\nCREATE INDEX CONCURRENTLY i ON t (c);\n');
    expect(up?.inTransaction).toBe(false);
    expect(migration?.down[0]?.inTransaction).toBe(true);
  });

  it('splits goose and sql-migrate sections', () => {
    const goose = groupMigrations([file('g/1_x.sql', '-- +goose NO TRANSACTION\n-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n')]);
    expect(goose.map((m) => [m.layout, m.up[0]?.inTransaction, m.down.length])).toEqual([['goose', false, 1]]);
    const sqlMigrate = groupMigrations([file('s/1_x.sql', '-- +migrate Up\nSELECT 1;\n-- +migrate Down\nSELECT 2;\n')]);
    expect(sqlMigrate.map((m) => [m.layout, m.up[0]?.inTransaction])).toEqual([['sql-migrate', true]]);
  });

  it("pairs Flyway's V and U (undo) scripts", () => {
    const migrations = groupMigrations([file('f/V2__add.sql'), file('f/U2__add.sql'), file('f/V1__init.sql')]);
    expect(migrations.map((m) => [m.id, m.layout, m.down.length])).toEqual([['f/V1', 'flyway', 0], ['f/V2', 'flyway', 1]]);
  });

  it('takes a plain .sql file as an up part without a down', () => {
    expect(groupMigrations([file('m/003_x.sql')]).map((m) => [m.id, m.layout, m.up.length, m.down.length])).toEqual([['m/003_x', 'single-file', 1, 0]]);
  });
});
