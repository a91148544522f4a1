import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { resolveInside } from '../fs/inside-repo.js';
import { git } from '../git/run-git.js';
import { parseJunit, type ParseResult } from '../gates/parse-junit.js';
import { parseSarif } from '../gates/parse-sarif.js';
import type { EvidenceSummary, ReleaseRecord } from '../gates/types.js';
import { compileGlob, matchesGlob } from '../policy/glob.js';
import type { Policy } from '../policy/schema.js';

type EvidenceSpec = Policy['checklist'][number]['evidence'];

/**
 * Reads what CI really produced for one release: JUnit and SARIF reports in the working tree, the
 * files changed since the last release and the files in the candidate commit. Returns plain
 * summaries for the pure gate evaluation; a malformed report stops the check with its position.
 */
export async function collectEvidence(options: { cwd: string; policy: Policy; release: ReleaseRecord; changed: ChangedFiles }): Promise<Record<string, EvidenceSummary>> {
  const { cwd, policy, release } = options;
  const context = new EvidenceContext(cwd, release, options.changed);
  const entries: [string, EvidenceSummary][] = [];
  for (const item of policy.checklist) entries.push([item.id, await context.collect(item.evidence)]);
  entries.push(['smoke-tests', await context.collect({ kind: 'junit', ...policy.gates.smokeTests })]);
  entries.push(['rfc', await context.collect({ kind: 'file', paths: policy.gates.rfc.paths })]);
  // fromEntries defines own properties: an item id such as "__proto__" stays an entry, not a prototype.
  return Object.fromEntries(entries);
}

/** Only the smoke tests' JUnit reports (gates.smokeTests): what a deploy asks before production. */
export function collectSmokeReports(options: { cwd: string; policy: Policy; release: ReleaseRecord }): Promise<EvidenceSummary> {
  return new EvidenceContext(options.cwd, options.release, async () => []).collect({ kind: 'junit', ...options.policy.gates.smokeTests });
}

/** The files changed since the release's last tag; asked of git once, when a collector first needs them. */
export type ChangedFiles = () => Promise<string[]>;

/** `upTo`: the candidate, or HEAD when only shipgate's release commits (its CHANGELOG entry) follow it. */
export function changedSinceLastTag(cwd: string, release: ReleaseRecord, upTo: string = release.commit): ChangedFiles {
  const { lastTag } = release;
  let changed: Promise<string[]> | undefined;
  return () => {
    // A first release has no last tag to compare with; the collectors decide what it changed.
    changed ??= lastTag === null ? Promise.resolve([]) : git(['diff', '--name-only', '--no-renames', '--end-of-options', `refs/tags/${lastTag}..${upTo}`, '--'], { cwd }).then(({ stdout }) => lines(stdout));
    return changed;
  };
}

/** A path in the candidate commit; `link` is the object id of a symlink's target text. */
interface TreeEntry {
  readonly path: string;
  readonly link: string | null;
}

class EvidenceContext {
  #tree: Promise<TreeEntry[]> | undefined;
  #files: Set<string> | undefined;
  readonly #walked = new Map<string, Promise<string[]>>();

  constructor(
    private readonly cwd: string,
    private readonly release: ReleaseRecord,
    private readonly changed: ChangedFiles,
  ) {}

  async collect(spec: EvidenceSpec): Promise<EvidenceSummary> {
    const patterns = spec.paths.map((pattern) => expand(pattern, this.release));
    switch (spec.kind) {
      case 'junit': {
        const suites = spec.suites;
        const keep = (name: string) => suites.length === 0 || suites.some((suite) => matchesGlob(name, suite));
        const files = await this.workingFiles(patterns);
        const reports = [];
        for (const file of files) {
          const report = parseOrThrow(parseJunit(await this.read(file), file, keep), file, 'JUnit');
          // With suite names set, a report holding none of them is not evidence for this item.
          if (suites.length === 0 || report.suites.length > 0) reports.push(report);
        }
        return { kind: 'junit', patterns: suites.length === 0 ? patterns : [...patterns.map((p) => `${p} (suites ${suites.join(', ')})`)], reports };
      }
      case 'sarif': {
        const reports = [];
        for (const file of await this.workingFiles(patterns)) reports.push(parseOrThrow(parseSarif(await this.read(file), file, spec.failOn), file, 'SARIF'));
        return { kind: 'sarif', patterns, reports };
      }
      case 'changed-files':
        return { kind: 'changed-files', patterns, since: this.release.lastTag, matched: (await this.changedFiles()).filter(this.matcher(patterns)) };
      case 'file': {
        const matches = this.matcher(patterns);
        const found: string[] = [];
        for (const entry of await this.tree()) if (matches(entry.path) && (entry.link === null || (await this.linksToFile(entry.path, entry.link)))) found.push(entry.path);
        return { kind: 'file', patterns, found };
      }
    }
  }

  /** Whether a pattern matches a repository path, or a path relative to the component's directory. */
  private matcher(patterns: readonly string[]): (file: string) => boolean {
    const prefix = this.release.path === '' ? '' : `${this.release.path}/`;
    // Compiled once: the candidate commit's file list can run to tens of thousands of paths.
    const globs = patterns.map(compileGlob);
    return (file) => {
      const relative = prefix !== '' && file.startsWith(prefix) ? file.slice(prefix.length) : undefined;
      return globs.some((glob) => glob.test(file) || (relative !== undefined && glob.test(relative)));
    };
  }

  private async read(file: string): Promise<string> {
    // A report CI left as a symlink is read only if it stays inside the repository.
    const target = resolveInside(this.cwd, file, 'report');
    try {
      return await readFile(target, 'utf8');
    } catch (cause) {
      throw errors.fileUnreadable(file, cause);
    }
  }

  /** Report files in the working tree (CI writes them there), walking only below each pattern's fixed prefix. */
  private async workingFiles(patterns: readonly string[]): Promise<string[]> {
    const roots = new Set<string>();
    for (const pattern of patterns) {
      roots.add(fixedPrefix(pattern));
      if (this.release.path !== '') roots.add(path.posix.join(this.release.path, fixedPrefix(pattern)));
    }
    const matches = this.matcher(patterns);
    const found = new Set<string>();
    for (const root of roots) for (const file of await this.walk(root)) if (matches(file)) found.add(file);
    return [...found].sort();
  }

  /** Since the last release; a first release changes every file in its commit. */
  private changedFiles(): Promise<string[]> {
    return this.release.lastTag === null ? this.treeFiles() : this.changed();
  }

  /** The files below a directory of the working tree, walked once however many reports ask. */
  private walk(root: string): Promise<string[]> {
    let files = this.#walked.get(root);
    if (files === undefined) {
      // A pattern with ../ or a report directory linked elsewhere would walk (and read) outside the repository.
      resolveInside(this.cwd, root, 'report directory');
      files = walk(this.cwd, root);
      this.#walked.set(root, files);
    }
    return files;
  }

  private async treeFiles(): Promise<string[]> {
    return (await this.tree()).map((entry) => entry.path);
  }

  private tree(): Promise<TreeEntry[]> {
    this.#tree ??= git(['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', this.release.commit], { cwd: this.cwd }).then(({ stdout }) =>
      stdout
        .split('\0')
        .filter((record) => record !== '')
        .map((record) => {
          const tab = record.indexOf('\t');
          const [mode, , oid] = record.slice(0, tab).split(' ');
          return { path: record.slice(tab + 1), link: mode === '120000' ? (oid ?? null) : null };
        }),
    );
    return this.#tree;
  }

  /**
   * A committed symlink is a document only if it points at a file of the same commit; one that leaves
   * the repository is refused, as a report linked out of it is.
   */
  private async linksToFile(file: string, oid: string): Promise<boolean> {
    const { stdout: target } = await git(['cat-file', 'blob', '--end-of-options', oid], { cwd: this.cwd });
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
    if (path.posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../')) {
      throw new ShipgateError('EOUTSIDE', `evidence file "${file}" in the candidate is a symlink out of the repository (to ${target})`, {
        category: 'input',
        hint: 'commit the document itself; shipgate does not follow symlinks out of the repository',
      });
    }
    this.#files ??= new Set((await this.tree()).filter((entry) => entry.link === null).map((entry) => entry.path));
    return this.#files.has(resolved);
  }
}

function parseOrThrow<T>(result: ParseResult<T>, file: string, format: string): T {
  if (result.ok) return result.value;
  throw new ShipgateError('EEVIDENCE', `${format} report: ${result.message}`, { category: 'input', where: `${file}:${result.line}:${result.col}`, hint: 'fix or regenerate the report; a broken report is never read as passing' });
}

export function expand(pattern: string, release: ReleaseRecord): string {
  const major = release.version.split('.')[0] ?? '';
  return pattern.replaceAll('{name}', release.component).replaceAll('{version}', release.version).replaceAll('{major}', major);
}

export function fixedPrefix(pattern: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[]/.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/');
}

const SKIP = new Set(['.git', 'node_modules', '.shipgate']);

async function walk(cwd: string, root: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(cwd, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
      // A linked directory is never walked (it may lead outside, or in a circle); a linked file is
      // listed, and read only if it resolves inside the repository.
      if (entry.isDirectory() && !SKIP.has(entry.name)) await visit(relative);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative);
    }
  };
  await visit(root);
  return files;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
