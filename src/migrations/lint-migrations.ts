import { kindOf } from './ast.js';
import { groupMigrations, type Migration, type MigrationPart } from './migration-layout.js';
import { newState, startPart, track, type MigrationState } from './migration-state.js';
import { parseSection } from './parse-section.js';
import type { SqlParser } from './pg-parser.js';
import { effectiveLevel, RULES, type RuleId } from './rule-catalog.js';
import { breakingReason, takesTableLock } from './statement-effect.js';
import { checkStatement } from './statement-rules.js';
import { findMarks, readSuppressions, takeSuppression, type Suppression } from './suppressions.js';
import { LineIndex } from './text-position.js';
import type {
  Deprecation, Finding, LintReport, LintStream, LintTotals, MigrationLint, MigrationLintConfig, MigrationSummary, SourceFile,
  StatementSummary, SuppressedFinding,
} from './types.js';

/** Per file, read once: line starts, where "shipgate-ignore" occurs, and its file-wide suppressions. */
interface FileInfo {
  readonly file: SourceFile;
  readonly migration: string;
  readonly lines: LineIndex;
  readonly marks: readonly number[];
  readonly fileSuppressions: readonly Suppression[];
}

/** Where a finding points: `start`/`end` in the file, and the statement it belongs to (empty range if none). */
interface Place {
  readonly start: number;
  readonly end: number;
  readonly statementStart: number;
  readonly statementEnd: number;
}

/**
 * Lints migration files: groups them into migrations, parses every statement with PostgreSQL's parser and
 * applies the rules in migration order (a column deprecated by an earlier migration may be dropped later).
 * Pure: files in, findings out; the parser is passed in because it has to be loaded asynchronously once.
 */
export function lintEachMigration(files: readonly SourceFile[], config: MigrationLintConfig, parser: SqlParser): LintStream {
  const totals: LintTotals = { errors: 0, warnings: 0, suppressed: 0, migrations: 0, statements: 0 };
  const run = new LintRun(config, parser);
  let pending: Migration[] | undefined;
  let next = 0;
  const take = (): MigrationLint | undefined => {
    pending ??= groupMigrations(files);
    const migration = pending[next];
    if (migration === undefined) {
      parser.close?.();
      return undefined;
    }
    next += 1;
    let linted: MigrationLint;
    try {
      linted = run.migration(migration);
    } catch (error) {
      // A lint that fails midway stops its parser too (a parser thread would otherwise outlive it in a server).
      parser.close?.();
      throw error;
    }
    for (const finding of linted.findings) {
      if (finding.level === 'error') totals.errors += 1;
      else totals.warnings += 1;
    }
    totals.suppressed += linted.suppressed.length;
    totals.migrations += 1;
    totals.statements += linted.statementCount;
    return linted;
  };
  return {
    migrations: {
      *[Symbol.iterator]() {
        for (let linted = take(); linted !== undefined; linted = take()) yield linted;
      },
    },
    finish: () => {
      while (take() !== undefined) {
        // linted and counted, not handed out
      }
      return totals;
    },
  };
}

/** The whole report at once, for the gate and SARIF. */
export function lintMigrations(files: readonly SourceFile[], config: MigrationLintConfig, parser: SqlParser): LintReport {
  return collectReport(lintEachMigration(files, config, parser));
}

/** Takes every migration still to come from `lint` into one report. */
export function collectReport(lint: LintStream): LintReport {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const deprecations: Deprecation[] = [];
  const migrations: MigrationSummary[] = [];
  for (const migration of lint.migrations) {
    // One at a time: a migration may have more findings than a spread call takes arguments.
    for (const finding of migration.findings) findings.push(finding);
    for (const finding of migration.suppressed) suppressed.push(finding);
    for (const mark of migration.deprecations) deprecations.push(mark);
    migrations.push(migration.summary);
  }
  return { findings, suppressed, deprecations, migrations, statementCount: lint.finish().statements };
}

class LintRun {
  // What the migration being linted has found so far; handed out and started afresh for each migration.
  private findings: Finding[] = [];
  private suppressed: SuppressedFinding[] = [];
  private deprecations: Deprecation[] = [];
  private statementCount = 0;
  private readonly state: MigrationState = newState();
  private readonly files = new Map<string, FileInfo>();
  private readonly marker: string;

  constructor(
    private readonly config: MigrationLintConfig,
    private readonly parser: SqlParser,
  ) {
    this.marker = config.deprecationMarker ?? 'deprecated';
  }

  migration(migration: Migration): MigrationLint {
    const breaking: StatementSummary[] = [];
    let syntaxErrors = 0;
    for (const part of migration.up) syntaxErrors += this.part(part, migration.id, breaking);
    const upStatements = this.statementCount;
    for (const part of migration.down) syntaxErrors += this.part(part, migration.id, undefined);
    const hasDown = this.statementCount > upStatements;
    const first = migration.up[0] ?? migration.down[0];
    if (!hasDown && first !== undefined) {
      const down = migration.down[0];
      // An empty `-- migrate:down` section: point at the start of its marker line.
      const at = down === undefined ? 0 : down.file.text.lastIndexOf('\n', down.from - 1) + 1;
      const message = down === undefined ? `migration ${migration.id} has no down part, so it cannot be reversed` : `the down part of migration ${migration.id} is empty`;
      this.emit('require-down-migration', this.info(down?.file ?? first.file, migration.id), { start: at, end: at, statementStart: 0, statementEnd: 0 }, message);
    }
    // A file belongs to one migration: its file-wide suppressions are settled once the migration is done.
    for (const info of this.files.values()) this.reportUnused(info, info.fileSuppressions, 'anything in this file');
    this.files.clear();
    const summary: MigrationSummary = { id: migration.id, layout: migration.layout, files: migration.files, hasDown, statementCount: upStatements, breaking, syntaxErrors };
    const linted = { summary, findings: this.findings, suppressed: this.suppressed, deprecations: this.deprecations, statementCount: this.statementCount };
    this.findings = [];
    this.suppressed = [];
    this.deprecations = [];
    this.statementCount = 0;
    return linted;
  }

  /** Lints one part; `breaking` is undefined for down parts, which are only parsed (they undo, by design). */
  private part(part: MigrationPart, migration: string, breaking: StatementSummary[] | undefined): number {
    startPart(this.state, part.inTransaction);
    const info = this.info(part.file, migration);
    const { file } = info;
    let syntaxErrors = 0;
    let lastEnd = part.from;
    for (const item of parseSection(this.parser, file.text, part.from, part.to)) {
      this.statementCount += 1;
      const unit = 'statement' in item ? item.statement : item.syntaxError;
      const suppressions = this.suppressionsIn(info, unit.gapStart, unit.start);
      const place = { start: unit.start, end: unit.end, statementStart: unit.start, statementEnd: unit.end };
      lastEnd = unit.end;
      if ('syntaxError' in item) {
        syntaxErrors += 1;
        this.emit('syntax-error', info, { ...place, start: item.syntaxError.at }, item.syntaxError.message, suppressions);
      } else if (breaking !== undefined) {
        const { ast, toIndex } = item.statement;
        const state = this.state;
        for (const hit of checkStatement(ast, { state, migration, releaseBump: this.config.releaseBump })) {
          this.emit(hit.rule, info, hit.at === undefined ? place : { ...place, start: toIndex(hit.at) }, hit.message, suppressions);
        }
        if (!state.part.lockTimeout && !state.part.lockTimeoutReported && takesTableLock(ast, state.part.createdTables)) {
          state.part.lockTimeoutReported = true;
          const message = `this is the first statement of ${file.path} that waits for a table lock, and no lock_timeout was set before it`;
          this.emit('require-lock-timeout', info, place, message, suppressions);
        }
        const mark = track(state, ast, { migration, file: file.path, line: () => info.lines.position(unit.start).line, deprecationMarker: this.marker });
        if (mark !== undefined) this.deprecations.push(mark);
        const why = breakingReason(ast);
        if (why !== undefined) breaking.push({ file: file.path, line: info.lines.position(unit.start).line, kind: kindOf(ast), why });
      }
      if (suppressions.length > 0) this.reportUnused(info, suppressions, 'the next statement');
    }
    // A suppression after the last statement has nothing to apply to.
    this.reportUnused(info, this.suppressionsIn(info, lastEnd, part.to), 'any statement');
    return syntaxErrors;
  }

  private suppressionsIn(info: FileInfo, from: number, to: number): readonly Suppression[] {
    if (info.marks.length === 0) return [];
    const { suppressions, problems } = readSuppressions(info.file.text, info.marks, from, to, 'next-statement');
    for (const problem of problems) this.emit('invalid-suppression', info, span(problem.index, problem.length), problem.message);
    return suppressions;
  }

  private info(file: SourceFile, migration: string): FileInfo {
    let info = this.files.get(file.path);
    if (info === undefined) {
      const marks = findMarks(file.text);
      const read = marks.length === 0 ? { suppressions: [], problems: [] } : readSuppressions(file.text, marks, 0, file.text.length, 'file');
      info = { file, migration, lines: new LineIndex(file.text), marks, fileSuppressions: read.suppressions };
      this.files.set(file.path, info);
      for (const problem of read.problems) this.emit('invalid-suppression', info, span(problem.index, problem.length), problem.message);
    }
    return info;
  }

  private reportUnused(info: FileInfo, suppressions: readonly Suppression[], target: string): void {
    for (const suppression of suppressions) {
      // A rule the policy turned off suppresses nothing, but the comment is not wrong either.
      if (suppression.used || suppression.rules.every((rule) => effectiveLevel(rule as RuleId, this.config.rules) === 'off')) continue;
      const message = `shipgate-ignore ${suppression.rules.join(', ')} suppresses nothing: no such finding on ${target}`;
      this.emit('unused-suppression', info, span(suppression.index, suppression.length), message);
    }
  }

  private emit(rule: RuleId, info: FileInfo, place: Place, message: string, suppressions: readonly Suppression[] = []): void {
    const level = effectiveLevel(rule, this.config.rules);
    if (level === 'off') return;
    const finding: Finding = {
      rule, level,
      // One line, as every report format needs: a quoted name or the parser's "at or near" may hold a newline.
      message: message.includes('\n') ? message.replace(/\r?\n/g, '\\n') : message,
      file: info.file.path,
      start: info.lines.position(place.start),
      end: info.lines.position(Math.max(place.start, place.end)),
      statement: info.file.text.slice(place.statementStart, place.statementEnd).trim(),
      hint: RULES[rule].hint,
      migration: info.migration,
    };
    const suppression = rule === 'unused-suppression' ? undefined : (takeSuppression(suppressions, rule) ?? takeSuppression(info.fileSuppressions, rule));
    if (suppression === undefined) this.findings.push(finding);
    else this.suppressed.push({ ...finding, reason: suppression.reason });
  }
}

function span(start: number, length: number): Place {
  return { start, end: start + length, statementStart: 0, statementEnd: 0 };
}
