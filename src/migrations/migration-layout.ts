import type { MigrationLayout, SourceFile } from './types.js';

export interface MigrationPart {
  readonly file: SourceFile;
  readonly from: number;
  readonly to: number;
  /** Whether the migration tool wraps this part in a transaction for us. */
  readonly inTransaction: boolean;
}

export interface Migration {
  readonly id: string;
  readonly layout: MigrationLayout;
  readonly files: readonly string[];
  readonly up: readonly MigrationPart[];
  readonly down: readonly MigrationPart[];
}

const SECTION_MARKER = /^--[ \t]*(?:migrate:(up|down)|\+goose[ \t]+(up|down)|\+migrate[ \t]+(up|down))\b(.*)$/gim;
const GOOSE_NO_TRANSACTION = /^--[ \t]*\+goose[ \t]+NO[ \t]+TRANSACTION\b/im;
const UP_DOWN_FILE = /^(.*)\.(up|down)\.sql$/i;
const DIRECTORY_FILE = /^(up|down|migration)\.sql$/i;
const FLYWAY_FILE = /^([VU])(\d[\w.]*?)__(.+)\.sql$/;

interface Placed {
  readonly id: string;
  readonly layout: MigrationLayout;
  readonly role: 'up' | 'down' | 'sections';
}

/**
 * Groups files into migrations by the layouts migration tools use: `NAME.up.sql`/`NAME.down.sql` pairs
 * (golang-migrate), a directory per migration (`up.sql`/`down.sql`, or Prisma's `migration.sql`),
 * Flyway's `V1__x.sql`/`U1__x.sql`, and one file with up/down sections (dbmate, goose, sql-migrate).
 */
export function groupMigrations(files: readonly SourceFile[]): Migration[] {
  const byId = new Map<string, { layout: MigrationLayout; files: SourceFile[]; up: MigrationPart[]; down: MigrationPart[] }>();
  for (const file of files) {
    const placed = place(file);
    let entry = byId.get(placed.id);
    if (entry === undefined) {
      entry = { layout: placed.layout, files: [], up: [], down: [] };
      byId.set(placed.id, entry);
    }
    entry.files.push(file);
    if (placed.role === 'sections') {
      const { layout, up, down } = sections(file);
      entry.layout = layout;
      entry.up.push(...up);
      entry.down.push(...down);
    } else {
      (placed.role === 'up' ? entry.up : entry.down).push(wholeFile(file));
    }
  }
  return [...byId.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([id, entry]) => ({ id, layout: entry.layout, files: entry.files.map((f) => f.path), up: entry.up, down: entry.down }));
}

/** One file's parts, up and down, as groupMigrations finds them: what the lint will parse of it. */
export function partsOf(file: SourceFile): MigrationPart[] {
  if (place(file).role !== 'sections') return [wholeFile(file)];
  const { up, down } = sections(file);
  return [...up, ...down];
}

function wholeFile(file: SourceFile): MigrationPart {
  return { file, from: 0, to: file.text.length, inTransaction: false };
}

function place(file: SourceFile): Placed {
  const slash = file.path.lastIndexOf('/');
  const dir = slash === -1 ? '' : file.path.slice(0, slash);
  const base = file.path.slice(slash + 1);
  const pair = UP_DOWN_FILE.exec(base);
  if (pair) return { id: join(dir, pair[1] ?? ''), layout: 'up-down-files', role: pair[2]?.toLowerCase() === 'down' ? 'down' : 'up' };
  const inDirectory = DIRECTORY_FILE.exec(base);
  if (inDirectory && dir !== '') return { id: dir, layout: 'directory', role: inDirectory[1]?.toLowerCase() === 'down' ? 'down' : 'up' };
  const flyway = FLYWAY_FILE.exec(base);
  if (flyway) return { id: join(dir, `V${flyway[2] ?? ''}`), layout: 'flyway', role: flyway[1] === 'U' ? 'down' : 'up' };
  return { id: file.path.replace(/\.sql$/i, ''), layout: 'single-file', role: 'sections' };
}

function sections(file: SourceFile): { layout: MigrationLayout; up: MigrationPart[]; down: MigrationPart[] } {
  const markers = [...file.text.matchAll(SECTION_MARKER)];
  if (markers.length === 0) return { layout: 'single-file', up: [wholeFile(file)], down: [] };
  const first = markers[0];
  const layout: MigrationLayout = first?.[1] ? 'dbmate' : first?.[2] ? 'goose' : 'sql-migrate';
  const gooseNoTransaction = GOOSE_NO_TRANSACTION.test(file.text);
  const up: MigrationPart[] = [];
  const down: MigrationPart[] = [];
  markers.forEach((marker, index) => {
    const direction = (marker[1] ?? marker[2] ?? marker[3] ?? '').toLowerCase();
    const options = (marker[4] ?? '').toLowerCase();
    const from = (marker.index ?? 0) + marker[0].length;
    const to = markers[index + 1]?.index ?? file.text.length;
    // dbmate, goose and sql-migrate all wrap each part in a transaction unless told not to.
    const inTransaction =
      layout === 'dbmate' ? !/transaction:\s*false/.test(options) : layout === 'goose' ? !gooseNoTransaction : !options.includes('notransaction');
    (direction === 'down' ? down : up).push({ file, from, to, inTransaction });
  });
  return { layout, up, down };
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

// Made on first use: ICU takes about 10 ms to make a collator, which a run over one migration never needs.
let collator: Intl.Collator | undefined;

function compareIds(a: string, b: string): number {
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator.compare(a, b);
}
