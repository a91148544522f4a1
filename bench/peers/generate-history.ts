/**
 * Generates a single-package repository (package.json and shipgate.yaml at the root) with `git
 * fast-import`, shaped like the public repositories the peers were timed on:
 *   - large: ~27,000 Conventional Commits and ~12,000 tags, most of them lightweight build tags that are
 *     not releases, a release every 10-70 commits;
 *   - medium: ~7,000 commits and ~300 annotated release tags;
 *   - untagged: the large repository's history without any tag (everything unreleased).
 * Each release is a `chore(release): vX.Y.Z` commit that sets package.json's version, tagged `vX.Y.Z`,
 * its version bumped as Conventional Commits say (major for a breaking change, minor for a feature,
 * else patch). HEAD is 40 unreleased commits above the last release, one of them a feature. Some commits
 * carry bodies, `(#123)` references, breaking changes and `Deprecated:` footers (some naming a removal
 * several majors ahead, so the notes must look far back for them).
 *
 *   npx tsx bench/peers/generate-history.ts <dir> <large|medium|untagged>
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export type Shape = 'large' | 'medium' | 'untagged';

export interface GeneratedHistory {
  readonly dir: string;
  readonly commits: number;
  readonly releases: number;
  readonly tags: number;
  /** The version in package.json at HEAD: the last release's. */
  readonly version: string;
}

interface ShapeSpec {
  readonly commits: number;
  /** Chance that a commit also gets a lightweight build tag (not a release). */
  readonly buildTags: number;
  /** Chance that a release tag is annotated. */
  readonly annotated: number;
  readonly releaseEvery: readonly [number, number];
  readonly tagged: boolean;
}

const SHAPES: Record<Shape, ShapeSpec> = {
  large: { commits: 27_000, buildTags: 0.425, annotated: 0.25, releaseEvery: [10, 70], tagged: true },
  medium: { commits: 7_000, buildTags: 0, annotated: 1, releaseEvery: [12, 34], tagged: true },
  untagged: { commits: 27_000, buildTags: 0.425, annotated: 0.25, releaseEvery: [10, 70], tagged: false },
};

const TYPES = ['feat', 'feat', 'fix', 'fix', 'fix', 'chore', 'docs', 'refactor', 'perf', 'test', 'ci', 'build'];
const SCOPES = ['api', 'cli', 'core', 'parser', 'server', 'ui', 'deps', 'config', 'auth', 'db'];
const WORDS = ['cache', 'request', 'token', 'schema', 'stream', 'handler', 'index', 'config', 'route', 'queue', 'timeout', 'retry', 'buffer', 'session', 'locale', 'plugin'];
const VERBS = ['add', 'handle', 'support', 'avoid', 'speed up', 'clean up', 'rename', 'document', 'validate', 'drop', 'allow', 'fix'];
const POLICY = `# The bench repository: one npm package at the root, tagged vX.Y.Z.
components:
  module:
    paths: ['.']
    tag: 'v{version}'
    commitMessage: 'chore(release): v{version}'
`;

export async function generateHistory(dir: string, shape: Shape): Promise<GeneratedHistory> {
  const spec = SHAPES[shape];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await run('git', ['init', '--quiet', '--initial-branch=main', dir], process.cwd());
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))));
  // The same seed for large and untagged: the same commits, with and without tags.
  let seed = 7;
  // mulberry32: a rare draw (a deprecation, a breaking change) is not followed by a predictable one.
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = ([low, high]: readonly [number, number]) => low + Math.floor(random() * (high - low + 1));
  const chunks: string[] = [];
  const flush = async () => {
    if (!child.stdin.write(chunks.join(''))) await new Promise((resolve) => child.stdin.once('drain', resolve));
    chunks.length = 0;
  };
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const packageJson = (version: string) => `{\n  "name": "acme-app",\n  "version": "${version}",\n  "private": true\n}\n`;

  const version = [1, 0, 0];
  let pending: 'major' | 'minor' | 'patch' | null = null;
  let nextRelease = between(spec.releaseEvery);
  let releases = 0;
  let tags = 0;
  let mark = 0;
  let time = 1_500_000_000;
  let pr = 100;
  // The last 40 commits stay unreleased, one of them a feature, so every tool has a minor to find.
  const lastRelease = spec.commits - 41;

  const commit = (message: string, files: string[]) => {
    mark += 1;
    time += 600 + Math.floor(random() * 3000);
    chunks.push(`commit refs/heads/main\nmark :${mark}\nauthor Dev ${mark % 7} <dev${mark % 7}@example.com> ${time} +0000\ncommitter Dev ${mark % 7} <dev${mark % 7}@example.com> ${time} +0000\n${data(message)}${mark > 1 ? `from :${mark - 1}\n` : ''}${files.join('')}\n`);
  };
  const tag = (name: string, annotated: boolean) => {
    if (!spec.tagged) return;
    tags += 1;
    if (annotated) chunks.push(`tag ${name}\nfrom :${mark}\ntagger Release Bot <bot@example.com> ${time + 60} +0000\n${data(`Release ${name}`)}`);
    else chunks.push(`reset refs/tags/${name}\nfrom :${mark}\n\n`);
  };

  commit('chore: initial commit', [
    `M 644 inline package.json\n${data(packageJson('1.0.0'))}`,
    `M 644 inline shipgate.yaml\n${data(POLICY)}`,
    `M 644 inline README.md\n${data('# acme-app\n')}`,
  ]);
  tag('v1.0.0', true);
  releases += 1;
  for (let n = 2; mark < spec.commits; n += 1) {
    if (mark === lastRelease || (mark < lastRelease && n >= nextRelease && pending !== null)) {
      const level = pending ?? 'patch';
      if (level === 'major') version.splice(0, 3, version[0]! + 1, 0, 0);
      else if (level === 'minor') version.splice(1, 2, version[1]! + 1, 0);
      else version[2]! += 1;
      const name = `v${version.join('.')}`;
      commit(`chore(release): ${name}`, [`M 644 inline package.json\n${data(packageJson(version.join('.')))}`]);
      tag(name, random() < spec.annotated);
      releases += 1;
      pending = null;
      nextRelease = n + between(spec.releaseEvery);
      continue;
    }
    const unreleasedTail = mark > lastRelease;
    let type = pick(TYPES);
    if (unreleasedTail && mark === lastRelease + 20) type = 'feat';
    const breaking = !unreleasedTail && random() < 1 / 2500;
    const scope = random() < 0.7 ? `(${pick(SCOPES)})` : '';
    pr += 1;
    const subject = `${type}${scope}${breaking ? '!' : ''}: ${pick(VERBS)} ${pick(WORDS)} ${pick(WORDS)}${random() < 0.6 ? ` (#${pr})` : ''}`;
    const body: string[] = [];
    if (random() < 0.4) body.push(`The ${pick(WORDS)} now keeps its ${pick(WORDS)} when the ${pick(WORDS)} is retried.\nThis matters for long ${pick(WORDS)} chains.`);
    if (breaking) body.push(`BREAKING CHANGE: the ${pick(WORDS)} option is gone; pass a ${pick(WORDS)} instead.`);
    if (random() < 1 / 900) {
      const removal = random() < 0.5 ? ` Will be removed in v${version[0]! + 3}.0.0 (June 2031)` : '';
      body.push(`Deprecated: \`${pick(WORDS)}.${pick(WORDS)}()\` - Use \`${pick(WORDS)}.${pick(WORDS)}()\` instead.${removal}`);
    }
    if (random() < 0.3) body.push(`Refs: #${pr - 3}`);
    const message = [subject, ...body].join('\n\n');
    const file = `src/${pick(SCOPES)}/${pick(WORDS)}-${Math.floor(random() * 40)}.ts`;
    commit(`${message}\n`, [`M 644 inline ${file}\n${data(`// change ${mark + 1}\nexport const value = ${mark + 1};\n`)}`]);
    const bump = breaking ? 'major' : type === 'feat' ? 'minor' : 'patch';
    pending = pending === 'major' || bump === 'major' ? 'major' : pending === 'minor' || bump === 'minor' ? 'minor' : 'patch';
    if (random() < spec.buildTags) tag(`build-${mark}`, false);
    if (chunks.length > 2000) await flush();
  }
  chunks.push('done\n');
  await flush();
  child.stdin.end();
  await done;
  await run('git', ['reset', '--quiet', '--hard', 'main'], dir);
  // Packed refs, as a fresh clone has them (and no commit-graph, which a fresh clone has not either).
  await run('git', ['pack-refs', '--all'], dir);
  return { dir, commits: mark, releases, tags, version: version.join('.') };
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const shape = (process.argv[3] ?? 'medium') as Shape;
  const dir = path.resolve(process.argv[2] ?? `bench/.work/history-${shape}`);
  const result = await generateHistory(dir, shape);
  console.log(`generated ${result.commits} commits, ${result.releases} releases, ${result.tags} tags (at v${result.version}) in ${result.dir}`);
}
