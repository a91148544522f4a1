/**
 * shipgate side by side with its peers on the commands a team runs in every CI job, on generated
 * single-package repositories (see generate-history.ts): the next version and the release notes since
 * the last release (12k-tag and 300-tag repositories), and both over a whole history with no tags.
 * Before timing, each pair is checked to give the same answer: the same bump and version, the same
 * number of features and fixes in the notes.
 *
 *   npm run build && npx tsx bench/peers/bench-peers.ts [--runs 5]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTools, toolCommand } from '../install-tools.js';
import { output, timePair, type Command } from '../time-pair.js';
import { generateHistory, type Shape } from './generate-history.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shipgateBin = path.join(root, 'bin/shipgate.js');

export interface Row {
  readonly benchmark: string;
  /** Median CPU seconds (user + system, children included). */
  readonly shipgate: number;
  readonly other: string;
  readonly otherSeconds: number;
  /** Median of shipgate's CPU time / the other's, pair by pair: below 1 is faster. */
  readonly ratio: number;
  /** The same ratio in wall-clock time. */
  readonly wallRatio: number;
  /** What both answered (a version, a bump, counts of notes entries). */
  readonly answer: string;
}

const SHAPE_LABEL: Record<Shape, string> = { large: '27k commits, 12k tags', medium: '7k commits, 300 tags', untagged: 'whole history, 27k commits, no tags' };

export async function repository(shape: Shape): Promise<string> {
  const dir = path.join(root, 'bench/.work', `history-${shape}`);
  if (!existsSync(path.join(dir, '.git'))) {
    console.error(`generating the ${shape} repository in ${path.relative(root, dir)} …`);
    await generateHistory(dir, shape);
  }
  return dir;
}

const shipgate = (cwd: string, ...args: string[]): Command => ({ argv: [process.execPath, shipgateBin, ...args], cwd });
const peer = (cwd: string, tool: Parameters<typeof toolCommand>[0], ...args: string[]): Command => ({ argv: [...toolCommand(tool), ...args], cwd });

/** The bump and version shipgate plans for the repository's one component. */
function shipgatePlan(cwd: string): { bump: string; version: string } {
  const plan = JSON.parse(output(shipgate(cwd, 'plan', '--json'))) as { components: { bump: string; nextVersion: string }[] };
  const [component] = plan.components;
  if (!component) throw new Error(`shipgate found no component in ${cwd}`);
  return { bump: component.bump, version: component.nextVersion };
}

/** Entries under each section of a peer's Markdown notes whose heading matches. */
function countEntries(markdown: string, heading: RegExp): number {
  let count = 0;
  let inside = false;
  for (const line of markdown.split('\n')) {
    if (/^#{2,3} /.test(line)) inside = heading.test(line);
    else if (inside && /^[*-] /.test(line)) count += 1;
  }
  return count;
}

function shipgateNotes(cwd: string): { features: number; fixes: number } {
  const notes = JSON.parse(output(shipgate(cwd, 'notes', 'acme-app', '--json'))) as { features: unknown[]; fixes: unknown[] };
  return { features: notes.features.length, fixes: notes.fixes.length };
}

function agree(what: string, ours: string, theirs: string): string {
  if (ours !== theirs) throw new Error(`${what}: shipgate says ${ours}, the peer ${theirs}: the comparison would not be fair`);
  return ours;
}

/**
 * shipgate as it runs first in a fresh clone: without what it keeps in .git/shipgate (the parsed policy,
 * the deprecations below the last release), removed before each run by the shell that starts it.
 */
const coldShipgate = (cwd: string, ...args: string[]): Command => ({
  argv: ['sh', '-c', 'rm -rf .git/shipgate && exec "$@"', 'sh', process.execPath, shipgateBin, ...args],
  cwd,
});

export async function benchPeers(options: { runs: number; warmup?: number; log?: (line: string) => void }): Promise<Row[]> {
  installTools();
  const log = options.log ?? (() => undefined);
  const rows: Row[] = [];
  const time = (benchmark: string, ours: Command, other: string, theirs: Command, answer: string) => {
    log(`  ${benchmark}: shipgate vs ${other} …`);
    const timing = timePair(ours, theirs, options.runs, options.warmup);
    rows.push({ benchmark, shipgate: timing.a, other, otherSeconds: timing.b, ratio: timing.ratio, wallRatio: timing.wallRatio, answer });
  };
  // git-cliff takes the tags its pattern matches as releases; the build tags are not.
  const cliffTags = ['--tag-pattern', '^v[0-9]'];
  for (const shape of ['large', 'medium'] as const) {
    const cwd = await repository(shape);
    const plan = shipgatePlan(cwd);
    const bump = agree('next version', plan.bump, output(peer(cwd, 'conventional-recommended-bump', '-p', 'conventionalcommits')).trim());
    const cliffVersion = output(peer(cwd, 'git-cliff', '--bumped-version', '--unreleased', ...cliffTags)).trim();
    agree('next version', `v${plan.version}`, cliffVersion);
    time(`next version, ${SHAPE_LABEL[shape]}`, shipgate(cwd, 'status'), 'conventional-recommended-bump', peer(cwd, 'conventional-recommended-bump', '-p', 'conventionalcommits'), `${bump}, ${plan.version}`);
    time(`next version, ${SHAPE_LABEL[shape]}`, shipgate(cwd, 'status'), 'git-cliff --bumped-version', peer(cwd, 'git-cliff', '--bumped-version', '--unreleased', ...cliffTags), `${bump}, ${plan.version}`);

    const notes = shipgateNotes(cwd);
    const changelog = peer(cwd, 'conventional-changelog', '-p', 'conventionalcommits', '--output-unreleased', '--stdout');
    const cliff = peer(cwd, 'git-cliff', '--unreleased', ...cliffTags);
    for (const [name, command, features, fixes] of [
      ['conventional-changelog', changelog, /^### Features/, /^### Bug Fixes/],
      ['git-cliff', cliff, /Features/, /Bug Fixes/],
    ] as const) {
      const text = output(command);
      const answer = agree(`notes (${name})`, `${notes.features} features, ${notes.fixes} fixes`, `${countEntries(text, features)} features, ${countEntries(text, fixes)} fixes`);
      time(`release notes, ${SHAPE_LABEL[shape]}`, shipgate(cwd, 'notes', 'acme-app'), name, command, answer);
      time(`release notes, ${SHAPE_LABEL[shape]}, fresh clone`, coldShipgate(cwd, 'notes', 'acme-app'), name, command, answer);
    }
  }

  const cwd = await repository('untagged');
  const plan = shipgatePlan(cwd);
  const bump = agree('whole-history bump', plan.bump, output(peer(cwd, 'conventional-recommended-bump', '-p', 'conventionalcommits')).trim());
  time(`next version, ${SHAPE_LABEL.untagged}`, shipgate(cwd, 'status'), 'conventional-recommended-bump', peer(cwd, 'conventional-recommended-bump', '-p', 'conventionalcommits'), `${bump} (first release: ${plan.version})`);
  const notes = shipgateNotes(cwd);
  // No tag: the whole history is the package.json version's release.
  const changelog = peer(cwd, 'conventional-changelog', '-p', 'conventionalcommits', '--stdout');
  const text = output(changelog);
  const answer = agree('whole-history notes', `${notes.features} features, ${notes.fixes} fixes`, `${countEntries(text, /^### Features/)} features, ${countEntries(text, /^### Bug Fixes/)} fixes`);
  time(`release notes, ${SHAPE_LABEL.untagged}`, shipgate(cwd, 'notes', 'acme-app'), 'conventional-changelog', changelog, answer);
  return rows;
}

/**
 * What any Node program pays where git-cliff's whole run is shortest (the 300-tag repository): an empty
 * Node start, and the least a Node program can do toward the notes (node-floor.mjs: two gits, no parsing),
 * each timed against git-cliff's notes. Lines for under the table.
 */
export async function nodeFloor(options: { runs: number; warmup?: number }): Promise<string[]> {
  installTools();
  const cwd = await repository('medium');
  const cliff = peer(cwd, 'git-cliff', '--unreleased', '--tag-pattern', '^v[0-9]');
  // Short runs: at least 9 pairs, a second or two.
  const runs = Math.max(options.runs, 9);
  const empty = timePair({ argv: [process.execPath, '-e', '0'], cwd }, cliff, runs, options.warmup);
  const least = timePair({ argv: [process.execPath, path.join(root, 'bench/peers/node-floor.mjs')], cwd }, cliff, runs, options.warmup);
  const line = (what: string, timing: typeof empty) =>
    `${what}: ${timing.a.toFixed(3)} s of CPU against git-cliff's ${timing.b.toFixed(3)} s, ratio ${timing.ratio.toFixed(2)} (wall ${timing.wallRatio.toFixed(2)})`;
  return [
    `The floor for any Node program on the ${SHAPE_LABEL.medium} repository, against git-cliff's notes (median of ${runs} interleaved pairs):`,
    line('- `node -e 0`', empty),
    line('- `node bench/peers/node-floor.mjs` (git describe + git log of the range, printed as is)', least),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const index = process.argv.indexOf('--runs');
  const runs = index === -1 ? 5 : Number(process.argv[index + 1]);
  const rows = await benchPeers({ runs, log: (line) => console.error(line) });
  for (const row of rows) console.log(`${row.benchmark.padEnd(48)} shipgate ${row.shipgate.toFixed(2)} s  ${row.other.padEnd(30)} ${row.otherSeconds.toFixed(2)} s  ratio ${row.ratio.toFixed(2)}  (${row.answer})`);
}
