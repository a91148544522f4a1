import { readFileSync } from 'node:fs';
import { createRepo, type TestRepo } from './git-repo.js';

interface FixtureHistory {
  readonly remote?: string;
  readonly steps: readonly { message: string; files?: Record<string, string>; tags?: string[] }[];
}

/** A real repository replayed from a committed JSON description of its commits and tags. */
export function repoFromFixture(file: URL): TestRepo {
  const history = JSON.parse(readFileSync(file, 'utf8')) as FixtureHistory;
  const repo = createRepo({ prefix: 'shipgate-fixture-' });
  if (history.remote) repo.git('remote', 'add', 'origin', history.remote);
  for (const step of history.steps) {
    repo.commit(step.message, step.files ?? {});
    for (const tag of step.tags ?? []) repo.tag(tag, `Release ${tag}`);
  }
  return repo;
}
