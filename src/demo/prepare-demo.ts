import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { authenticateToken, createApiToken } from '../app/api-tokens.js';
import { serverPolicy } from '../app/governing-policy.js';
import { openReleaseStore } from '../app/open-store.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { git } from '../git/run-git.js';
import type { Store } from '../store/open-store.js';
import { demoReports } from './demo-evidence.js';
import { buildDemoHistory, demoStart } from './demo-history.js';
import { SIGN_INS } from './demo-people.js';
import { fastImportStream } from './fast-import.js';
import { seedDeploys } from './seed-deploys.js';
import { seedReleases } from './seed-releases.js';

/** Kept in the workspace (ignored by git) so a second run finds the workspace and prints working tokens. */
const STATE_FILE = '.shipgate/demo.json';

export interface DemoSignIn {
  readonly label: string;
  readonly user: string;
  readonly token: string;
}

export interface DemoWorkspace {
  readonly dir: string;
  /** False when an existing workspace was reused. */
  readonly created: boolean;
  readonly signIns: readonly DemoSignIn[];
  readonly releases: readonly string[];
  /** The workspace's store, open: the caller serves it and closes it. */
  readonly store: Store;
}

interface DemoState {
  readonly version: 1;
  readonly signIns: readonly DemoSignIn[];
  readonly releases: readonly string[];
}

/** Git without the user's configuration: no signing, no hooks, the same result on every machine. */
const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'shipgate demo', GIT_AUTHOR_EMAIL: 'demo@fireproof.example', GIT_COMMITTER_NAME: 'shipgate demo', GIT_COMMITTER_EMAIL: 'demo@fireproof.example' };

/**
 * Creates the demo workspace in `dir` (an empty or missing directory), or reuses the one already there:
 * a git monorepo with a few months of history, CI reports, a store with releases in several states and
 * a token for each demo sign-in. Its deploys, rollback and incident are recorded once, here: a second run
 * reuses them with the rest of the store.
 */
export async function prepareDemo(options: { dir: string; now?: Date }): Promise<DemoWorkspace> {
  const dir = path.resolve(options.dir);
  const now = options.now ?? new Date();
  const statePath = path.join(dir, STATE_FILE);
  if (existsSync(statePath)) return reuse(dir, statePath);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ShipgateError('EDEMO', `${dir} is not empty and is not a shipgate demo workspace`, { category: 'usage', hint: 'pass --dir with a new or empty directory, or the directory of an earlier demo' });
  }
  await mkdir(dir, { recursive: true });
  try {
    return await create(dir, statePath, now);
  } catch (error) {
    // Half a workspace would be refused as "not empty" by the next run: leave the directory empty again.
    for (const entry of readdirSync(dir)) await rm(path.join(dir, entry), { recursive: true, force: true });
    throw error;
  }
}

async function create(dir: string, statePath: string, now: Date): Promise<DemoWorkspace> {
  const run = (args: string[], input?: string) => git(args, { cwd: dir, env: GIT_ENV, ...(input === undefined ? {} : { input }) });
  await run(['init', '--quiet', '--initial-branch=main']);
  await run(['config', 'commit.gpgsign', 'false']);
  await run(['config', 'tag.gpgsign', 'false']);
  const history = buildDemoHistory(now);
  await run(['fast-import', '--quiet'], fastImportStream(history));
  await run(['reset', '--quiet', '--hard', 'main']);
  for (const [file, text] of Object.entries(demoReports())) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  const governing = await serverPolicy({ cwd: dir });
  const store = await openReleaseStore({ cwd: dir, policy: governing.policy, env: {} });
  try {
    const releases = await seedReleases({ store, governing, cwd: dir, now });
    const emergency = releases.find((id) => id.startsWith('customer@')) as string;
    await seedDeploys({ store, policy: governing.policy, tags: history.tags, start: demoStart(now), emergency });
    const signIns = await Promise.all(SIGN_INS.map(async ({ label, person }) => ({ label, user: person.email, token: (await createApiToken(store, { user: person.email, name: `shipgate demo (${label})`, expires: null })).token })));
    const state: DemoState = { version: 1, signIns, releases };
    await writeState(statePath, state);
    return { dir, created: true, signIns, releases, store };
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function reuse(dir: string, statePath: string): Promise<DemoWorkspace> {
  let state: DemoState;
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as DemoState;
    if (state.version !== 1 || !Array.isArray(state.signIns)) throw new Error('unknown version');
  } catch (cause) {
    throw new ShipgateError('EDEMO', `${statePath} is not a demo workspace's state (${(cause as Error).message})`, { category: 'input', hint: 'pass --dir with a new directory to create a fresh demo' });
  }
  const governing = await serverPolicy({ cwd: dir });
  const store = await openReleaseStore({ cwd: dir, policy: governing.policy, env: {} });
  try {
    // A token revoked since (or a store deleted by hand) gets a new one, so the printed tokens work.
    const signIns = await Promise.all(
      state.signIns.map(async (signIn) => ((await authenticateToken(store, signIn.token)).ok ? signIn : { ...signIn, token: (await createApiToken(store, { user: signIn.user, name: `shipgate demo (${signIn.label})`, expires: null })).token })),
    );
    if (signIns.some((signIn, index) => signIn.token !== state.signIns[index]?.token)) await writeState(statePath, { ...state, signIns });
    return { dir, created: false, signIns, releases: state.releases, store };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Readable by its owner only: it holds tokens. */
async function writeState(file: string, state: DemoState): Promise<void> {
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
