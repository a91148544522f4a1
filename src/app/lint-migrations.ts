import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { lintEachMigration } from '../migrations/lint-migrations.js';
import { loadPgParser } from '../migrations/pg-parser.js';
import { partsOf } from '../migrations/migration-layout.js';
import { type ParserThread, startPgParserThread } from '../migrations/pg-parser-thread.js';
import type { LintStream, MigrationLintConfig, SourceFile } from '../migrations/types.js';
import { TextFileReader } from './read-text-files.js';

export interface LintMigrationsRequest {
  readonly cwd: string;
  /** Files or directories; empty means the policy's `migrations.paths` (those that exist). */
  readonly paths: readonly string[];
  readonly config: MigrationLintConfig;
}

/**
 * Reads the migration files under the given paths, all of them before any is linted (an unreadable file
 * fails the run before a report has begun), and returns the lint as a stream (`collectReport` makes it whole).
 */
export async function lintMigrationPaths(request: LintMigrationsRequest): Promise<{ lint: LintStream; searched: string[] }> {
  const explicit = request.paths.length > 0;
  const roots = (explicit ? request.paths : request.config.paths).map((p) => path.resolve(request.cwd, p));
  const files = new Set<string>();
  const searched: string[] = [];
  for (const root of roots) {
    const info = await stat(root).catch(() => undefined);
    if (info === undefined) {
      if (!explicit) continue;
      throw errors.badInput('ENOPATH', `no such file or directory: ${display(request.cwd, root)}`, {
        hint: 'pass migration files or directories that exist',
      });
    }
    searched.push(display(request.cwd, root));
    if (info.isDirectory()) for (const file of await sqlFilesUnder(root)) files.add(file);
    else files.add(root);
  }
  // Many files: the parser runs on a thread of its own beside the rules, started now so that it loads while
  // the files are read. A few, or one processor: one thread is quicker, with no second one to start.
  const thread = files.size >= PARSER_THREAD_FILES && availableParallelism() > 1 ? startPgParserThread() : undefined;
  const reader = new TextFileReader();
  const shown = new PathDisplay(request.cwd);
  const sorted = [...files].sort();
  let sources: SourceFile[];
  try {
    sources = thread === undefined ? sorted.map((file) => readSource(reader, shown.of(file), file)) : readAhead(thread, reader, shown, sorted);
  } catch (error) {
    thread?.close();
    throw error;
  }
  const parser = thread ?? (await loadPgParser());
  return { lint: lintEachMigration(sources, request.config, parser), searched };
}

/**
 * From how many files a parser thread pays for its start: measured on copies of the bench's corpus (files
 * of about 1 KB), it cost 60-80 ms of wall time at 20-100 files, broke even at 250-400, and saves about a
 * third of the time at 10,000.
 */
const PARSER_THREAD_FILES = 300;

/** Reads the files, sending the thread the parts it will parse every few files: it starts while the rest are read. */
function readAhead(thread: ParserThread, reader: TextFileReader, shown: PathDisplay, files: readonly string[]): SourceFile[] {
  const sources: SourceFile[] = [];
  let texts: string[] = [];
  for (const file of files) {
    const source = readSource(reader, shown.of(file), file);
    sources.push(source);
    for (const part of partsOf(source)) texts.push(source.text.slice(part.from, part.to));
    if (texts.length >= 64) {
      thread.expect(texts);
      texts = [];
    }
  }
  thread.expect(texts);
  return sources;
}

async function sqlFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const skipped = new Map<string, boolean>();
  // Hidden directories and node_modules are skipped; decided once per directory, not once per file.
  const skip = (parent: string): boolean => {
    let answer = skipped.get(parent);
    if (answer === undefined) {
      answer = path.relative(dir, parent).split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules');
      skipped.set(parent, answer);
    }
    return answer;
  };
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.sql') && !entry.name.startsWith('.') && !skip(entry.parentPath))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

// Synchronous on purpose: for a thousand small files it is several times faster than fs/promises.
function readSource(reader: TextFileReader, shown: string, file: string): SourceFile {
  try {
    return { path: shown, text: reader.read(file) };
  } catch (cause) {
    throw errors.fileUnreadable(shown, cause);
  }
}

function display(cwd: string, file: string): string {
  return (path.relative(cwd, file) || path.basename(file)).split(path.sep).join('/');
}

/** Paths as shown to the user: relative to the working directory, with `/`; computed once per directory. */
class PathDisplay {
  private readonly directories = new Map<string, string>();

  constructor(private readonly cwd: string) {}

  of(file: string): string {
    const directory = path.dirname(file);
    let shown = this.directories.get(directory);
    if (shown === undefined) {
      shown = path.relative(this.cwd, directory).split(path.sep).join('/');
      this.directories.set(directory, shown);
    }
    // A file given as the working directory's own name has no relative path; show its name.
    return shown === '' ? path.basename(file) : `${shown}/${path.basename(file)}`;
  }
}
