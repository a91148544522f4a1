import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { sql } from 'kysely';
import { getRelease, listEvents, listEventsAfter } from '../src/store/releases.js';
import { billingRepo, openRelease, PEOPLE, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { BIN, type CliRun } from './helpers/run-cli.js';
import { storeBackends } from './helpers/stores.js';

/** One real `shipgate` process as `email` (git's own GIT_CONFIG_* override), not waited for. */
function shipgate(repo: TestRepo, email: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repo.dir,
      env: { ...process.env, NO_COLOR: '1', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.email', GIT_CONFIG_VALUE_0: email },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(storeBackends())('two shipgate processes on one $name store', (backend) => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = billingRepo();
  });
  afterAll(() => repo.cleanup());

  const seed = async (version: string) => {
    const { location, db } = await backend.fresh();
    const store = await openStore(location);
    await openRelease(store, testPolicy(), repo, { bump: 'minor', version });
    await store.close();
    return { location, db };
  };

  it('approving the same release at once: every approval lands, in one unbroken sequence', async () => {
    const { location, db } = await seed('2.1.0');
    const runs = await Promise.all([
      shipgate(repo, PEOPLE.alice, ['approve', 'billing@2.1.0', '--role', 'module-team', '--db', db]),
      shipgate(repo, PEOPLE.bob, ['approve', 'billing@2.1.0', '--role', 'module-team', '--db', db]),
      shipgate(repo, PEOPLE.lead, ['approve', 'billing@2.1.0', '--role', 'tech-lead', '--db', db]),
      shipgate(repo, PEOPLE.alice, ['approve', 'billing@2.1.0', '--role', 'module-team', '--db', db]),
    ]);
    expect(runs.map((run) => [run.code, run.stderr])).toEqual(runs.map(() => [0, '']));
    const store = await openStore(location);
    const events = await listEvents(store, 'billing@2.1.0');
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    // Alice ran twice at once: she is recorded (and counted) once.
    expect(events.filter((event) => event.data.kind === 'approval').map((event) => event.actor).sort()).toEqual([PEOPLE.alice, PEOPLE.bob, PEOPLE.lead].sort());
    expect((await getRelease(store, 'billing@2.1.0'))?.seq).toBe(4);
    await store.close();
  });

  it('transitioning the same release at once: one wins, the other is told, one transition is logged', async () => {
    const { location, db } = await seed('2.2.0');
    const runs = await Promise.all([
      shipgate(repo, PEOPLE.lead, ['release', 'abandon', 'billing@2.2.0', '--reason', 'superseded', '--db', db]),
      shipgate(repo, PEOPLE.lead2, ['release', 'abandon', 'billing@2.2.0', '--reason', 'not needed', '--db', db]),
    ]);
    expect(runs.map((run) => run.code).sort()).toEqual([0, 2]);
    expect(runs.find((run) => run.code === 2)?.stderr).toBe('shipgate: billing@2.2.0 is already abandoned (nothing was changed)\n');
    const store = await openStore(location);
    const transitions = (await listEvents(store, 'billing@2.2.0')).filter((event) => event.data.kind === 'transition');
    expect(transitions).toHaveLength(1);
    expect((await getRelease(store, 'billing@2.2.0'))).toMatchObject({ state: 'abandoned', seq: 2 });
    await store.close();
  });

  it('writers of several releases at once: a feed that reads id > last sees every event, ids in the order they committed', async () => {
    const { location, db } = await backend.fresh();
    const store = await openStore(location);
    const versions = ['3.1.0', '3.2.0', '3.3.0'];
    for (const version of versions) await openRelease(store, testPolicy(), repo, { bump: 'minor', version });
    if (backend.name === 'postgres') {
      // One release's writers hold their transaction open after drawing ids, as a slow network would.
      await sql`CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$`.execute(store.db);
      await sql`CREATE TRIGGER slow_down BEFORE UPDATE ON releases FOR EACH ROW WHEN (NEW.id = 'billing@3.1.0') EXECUTE FUNCTION slow_down()`.execute(store.db);
    }
    let last = (await listEventsAfter(store, 0, 100)).at(-1)!.id;
    const seen: number[] = [];
    let done = false;
    const runs = Promise.all(
      versions.flatMap((version) => [
        shipgate(repo, PEOPLE.releaser, ['notice', `billing@${version}`, '--db', db]),
        shipgate(repo, PEOPLE.alice, ['approve', `billing@${version}`, '--role', 'module-team', '--db', db]),
        shipgate(repo, PEOPLE.lead, ['approve', `billing@${version}`, '--role', 'tech-lead', '--db', db]),
      ]),
    ).finally(() => (done = true));
    while (!done) {
      for (const event of await listEventsAfter(store, last, 100)) {
        seen.push(event.id);
        last = event.id;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await runs).map((run) => [run.code, run.stderr])).toEqual(versions.flatMap(() => [[0, ''], [0, ''], [0, '']]));
    for (const event of await listEventsAfter(store, last, 100)) seen.push(event.id);
    const all = await listEventsAfter(store, 0, 100);
    expect(seen).toEqual(all.slice(versions.length).map((event) => event.id));
    // Within each release, its log's order is the id order.
    for (const version of versions) {
      const log = all.filter((event) => event.releaseId === `billing@${version}`);
      expect(log.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    }
    await store.close();
  });
});
