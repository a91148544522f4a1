import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A deterministic corpus of migrations covering every statement kind the rules look at: safe ones, each
 * unsafe pattern, suppressions, deprecations, transactions, function bodies and a few syntax errors.
 */
const KINDS: readonly ((n: number) => string)[] = [
  (n) => `CREATE TABLE accounts_${n} (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz DEFAULT now());`,
  (n) => `ALTER TABLE invoices ADD COLUMN note_${n} text;`,
  (n) => `ALTER TABLE invoices ADD COLUMN paid_${n} boolean NOT NULL;`,
  (n) => `ALTER TABLE invoices ADD COLUMN token_${n} uuid DEFAULT gen_random_uuid();`,
  (n) => `ALTER TABLE invoices ADD COLUMN flag_${n} boolean NOT NULL DEFAULT false;`,
  (n) => `ALTER TABLE invoices ALTER COLUMN total_${n} SET NOT NULL;`,
  (n) => `ALTER TABLE invoices ADD CONSTRAINT total_${n}_nn CHECK (total_${n} IS NOT NULL) NOT VALID;`,
  (n) => `ALTER TABLE invoices VALIDATE CONSTRAINT total_${n}_nn;`,
  (n) => `ALTER TABLE invoices DROP COLUMN legacy_${n};`,
  (n) => `DROP TABLE old_invoices_${n};`,
  (n) => `ALTER TABLE invoices RENAME COLUMN amount_${n} TO total_amount_${n};`,
  (n) => `ALTER TABLE invoices_${n} RENAME TO bills_${n};`,
  (n) => `ALTER TABLE invoices ALTER COLUMN id_${n} TYPE bigint;`,
  (n) => `CREATE INDEX invoices_customer_${n} ON invoices (customer_id, created_at);`,
  (n) => `CREATE INDEX CONCURRENTLY invoices_total_${n} ON invoices (total) WHERE total > 0;`,
  (n) => `DROP INDEX invoices_old_${n};`,
  (n) => `DROP INDEX CONCURRENTLY invoices_older_${n};`,
  (n) => `ALTER TABLE invoices ADD CONSTRAINT invoices_customer_${n} FOREIGN KEY (customer_id) REFERENCES customers (id);`,
  (n) => `ALTER TABLE invoices ADD CONSTRAINT invoices_customer_nv_${n} FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;`,
  (n) => `ALTER TABLE invoices ADD CONSTRAINT total_positive_${n} CHECK (total >= 0);`,
  (n) => `ALTER TABLE invoices ADD CONSTRAINT invoices_number_${n} UNIQUE (number_${n});`,
  (n) => `COMMENT ON COLUMN invoices.legacy_${n} IS 'deprecated: use note_${n}';`,
  (n) => `INSERT INTO settings (key, value) VALUES ('feature_${n}', 'on') ON CONFLICT (key) DO NOTHING;`,
  (n) => `UPDATE invoices SET note_${n} = 'n/a' WHERE note_${n} IS NULL AND id < ${n * 1000};`,
  (n) => `CREATE OR REPLACE FUNCTION touch_${n}() RETURNS trigger AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;`,
  (n) => `CREATE VIEW open_invoices_${n} AS SELECT id, total FROM invoices WHERE paid_${n} IS NOT TRUE;`,
  (n) => `-- shipgate-ignore ban-drop-table: staging copy, never read\nDROP TABLE staging_copy_${n};`,
];

export interface Corpus {
  readonly dir: string;
  readonly files: number;
  readonly statements: number;
}

/** Writes `migrations` up/down pairs under `dir`, about `perMigration` up statements each. */
export function generateCorpus(dir: string, migrations = 500, perMigration = 20): Corpus {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let statements = 0;
  let kind = 0;
  for (let m = 1; m <= migrations; m += 1) {
    const name = `${String(m).padStart(5, '0')}_change_${m}`;
    const up = [`SET lock_timeout = '2s';`];
    const transactional = m % 10 === 0;
    if (transactional) up.push('BEGIN;');
    for (let s = 0; s < perMigration - (transactional ? 3 : 1); s += 1) {
      up.push((KINDS[kind % KINDS.length] as (n: number) => string)(m * 100 + s));
      kind += 1;
    }
    if (transactional) up.push('COMMIT;');
    // One migration in fifty has a typo, as real ones sometimes do.
    if (m % 50 === 0) up[up.length - 1] = 'ALTER TABEL invoices ADD COLUMN typo int;';
    const down = [`ALTER TABLE invoices DROP COLUMN IF EXISTS note_${m};`, `DROP INDEX IF EXISTS invoices_total_${m};`];
    writeFileSync(path.join(dir, `${name}.up.sql`), `${up.join('\n')}\n`);
    writeFileSync(path.join(dir, `${name}.down.sql`), `${down.join('\n')}\n`);
    statements += up.length + down.length;
  }
  return { dir, files: migrations * 2, statements };
}
