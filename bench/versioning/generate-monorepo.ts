/**
 * Generates a synthetic polyglot monorepo with `git fast-import`: 20 npm modules, 20 Rust crates and
 * 10 products (50 components), COMMITS commits (default 100,000) each touching one or two
 * components, and 1,000 release tags spread over the history. One module stays dormant after the
 * first 5% of history, so `shipgate plan` has to walk ~95% of all commits, as a real monorepo with
 * one neglected package does.
 *
 *   npx tsx bench/versioning/generate-monorepo.ts [dir] [commits]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface GeneratedRepo {
  readonly dir: string;
  readonly commits: number;
  readonly tags: number;
  readonly components: number;
}

const KINDS = [
  ...Array.from({ length: 20 }, (_, i) => ({ kind: 'module', dir: `modules/mod${i}`, manifest: 'package.json', tag: (v: string) => `mod${i}/v${v}` })),
  ...Array.from({ length: 20 }, (_, i) => ({ kind: 'platform', dir: `platform/crate${i}`, manifest: 'Cargo.toml', tag: (v: string) => `platform-crate${i}-v${v}` })),
  ...Array.from({ length: 10 }, (_, i) => ({ kind: 'product', dir: `products/prod${i}`, manifest: 'package.json', tag: (v: string) => `prod${i}/v${v}` })),
];
const TYPES = ['feat', 'fix', 'fix', 'chore', 'docs', 'refactor', 'perf', 'test'];

export async function generateMonorepo(dir: string, commits = 100_000): Promise<GeneratedRepo> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await run('git', ['init', '--quiet', '--initial-branch=main', dir], process.cwd());
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))));
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const chunks: string[] = [];
  const flush = async () => {
    if (!child.stdin.write(chunks.join(''))) await new Promise((resolve) => child.stdin.once('drain', resolve));
    chunks.length = 0;
  };
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const versions = KINDS.map(() => [1, 0, 0]);
  const tagsPerComponent = 20;
  let tags = 0;
  for (let n = 1; n <= commits; n += 1) {
    const time = 1_700_000_000 + n * 60;
    const lines = [`commit refs/heads/main`, `mark :${n}`, `committer Bench <bench@example.com> ${time} +0000`];
    let message: string;
    const files: string[] = [];
    if (n === 1) {
      message = 'chore: initial layout';
      KINDS.forEach((c) => {
        const content = c.manifest === 'Cargo.toml' ? `[package]\nname = "${path.basename(c.dir)}"\nversion = "1.0.0"\nedition = "2021"\n` : `{\n  "name": "${path.basename(c.dir)}",\n  "version": "1.0.0"\n}\n`;
        files.push(`M 644 inline ${c.dir}/${c.manifest}\n${data(content)}`);
      });
    } else {
      // One dormant module (index 0) only changes in the first 5% of history.
      let index = Math.floor(random() * KINDS.length);
      if (index === 0 && n > commits * 0.05) index = 1;
      const type = TYPES[Math.floor(random() * TYPES.length)]!;
      message = random() < 0.05 ? `Update ${path.basename(KINDS[index]!.dir)} code` : `${type}(${path.basename(KINDS[index]!.dir)}): change number ${n}`;
      files.push(`M 644 inline ${KINDS[index]!.dir}/src/file${n % 200}.txt\n${data(`change ${n}\n`)}`);
      if (random() < 0.1) files.push(`M 644 inline ${KINDS[(index + 7) % KINDS.length]!.dir}/src/shared.txt\n${data(`shared ${n}\n`)}`);
    }
    chunks.push(`${lines.join('\n')}\n${data(message)}${n > 1 ? `from :${n - 1}\n` : ''}${files.join('')}\n`);
    // Tags: every component gets 20 releases spread over its active span.
    for (const [index, component] of KINDS.entries()) {
      const span = index === 0 ? commits * 0.05 : commits;
      const step = Math.floor(span / tagsPerComponent);
      if (n % step === (index * 37) % step && n > 1 && Math.floor(n / step) <= tagsPerComponent && tags < 1000) {
        const version = versions[index]!;
        version[1]! += 1;
        chunks.push(`reset refs/tags/${component.tag(version.join('.'))}\nfrom :${n}\n\n`);
        tags += 1;
      }
    }
    if (chunks.length > 2000) await flush();
  }
  chunks.push('done\n');
  await flush();
  child.stdin.end();
  await done;
  await run('git', ['reset', '--quiet', '--hard', 'main'], dir);
  return { dir, commits, tags, components: KINDS.length };
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? 'bench/.work/monorepo');
  const commits = Number(process.argv[3] ?? 100_000);
  const result = await generateMonorepo(dir, commits);
  console.log(`generated ${result.commits} commits, ${result.components} components, ${result.tags} tags in ${result.dir}`);
}
