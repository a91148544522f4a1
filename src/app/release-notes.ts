import path from 'node:path';
import semver from '../versioning/semver.js';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { readInside } from '../fs/inside-repo.js';
import { ownEntry } from '../gates/own-entry.js';
import { readCommits } from '../git/read-history.js';
import { readCommitDates, type TagRef } from '../git/read-tags.js';
import { git } from '../git/run-git.js';
import { buildNotes } from '../notes/build-notes.js';
import { dateInZone } from '../notes/date-in-zone.js';
import { fill, renderNotesMarkdown } from '../notes/render-markdown.js';
import type { ReleaseNotes } from '../notes/types.js';
import type { Policy } from '../policy/schema.js';
import { planComponent } from '../versioning/plan-components.js';
import { findLastRelease, renderTag, tagMatcher } from '../versioning/tag-template.js';
import type { Component, ComponentPlan } from '../versioning/types.js';
import { planRelease, unreleasedKey, type PlannedRelease } from './plan-release.js';
import { deprecationsUpTo } from './read-deprecations.js';

export interface NotesRequest {
  readonly cwd: string;
  readonly policy: Policy;
  /** A component or bundle name. */
  readonly name: string;
  /** A past release's version; the next release when absent. */
  readonly version?: string;
  readonly now: Date;
}

/** The notes of a component's next (or a past) release, or of a bundle with its members' notes rolled up. */
export async function releaseNotes(request: NotesRequest): Promise<ReleaseNotes> {
  const planning = planRelease({ cwd: request.cwd, policy: request.policy, type: 'scheduled' });
  // Today's date needs no plan: worked out while git walks the history.
  planning.catch(() => undefined);
  const [plan, today] = await Promise.all([planning, dateInZone(request.now, request.policy.timezone)]);
  const context: NotesContext = { policy: request.policy, plan, tags: plan.tags, prLink: prLinkOnce(request.policy, request.cwd), today };
  // The next release's notes of each member of a bundle that has one.
  const membersNotes = (members: readonly { name: string }[]) =>
    Promise.all(plan.components.filter((c) => c.nextVersion !== null && members.some((m) => m.name === c.component.name)).map((c) => notesFor(c, c.nextVersion as string, context)));
  const component = plan.components.find((c) => c.component.name === request.name);
  const bundle = plan.bundles.find((b) => b.name === request.name && b.kind === 'bundle');
  if (bundle && !component) {
    if (bundle.nextVersion === null) throw new ShipgateError('ENOTHING', `the ${bundle.name} bundle has nothing to release`, { category: 'rule', hint: `its last release is ${bundle.lastTag ?? 'none'}` });
    return { ...emptyNotes(bundle.name, 'bundle', bundle.nextVersion, bundle.lastVersion, context.today), members: await membersNotes(bundle.members), billOfMaterials: bundle.members };
  }
  if (!component) throw new ShipgateError('ECOMPONENT', `unknown component or bundle "${request.name}"`, { category: 'not-found', hint: `known: ${[...plan.components.map((c) => c.component.name), ...plan.bundles.filter((b) => b.kind === 'bundle').map((b) => b.name)].join(', ')}` });
  const version = request.version ?? component.nextVersion;
  if (version === null) throw new ShipgateError('ENOTHING', `${request.name} has no releasable commits since ${component.lastTag ?? 'its first commit'}`, { category: 'rule', hint: `for a past release, name it: shipgate notes ${request.name}@${component.lastVersion ?? '1.0.0'}` });
  if (!semver.valid(version)) throw new ShipgateError('EVERSION', `"${version}" is not a SemVer version`, { category: 'usage', hint: `e.g. shipgate notes ${request.name}@2.1.0` });
  const notes = await notesFor(component, version, context);
  const productBundle = plan.bundles.find((b) => b.kind === 'product' && b.name === request.name);
  if (!productBundle || request.version !== undefined) return notes;
  return { ...notes, members: await membersNotes(productBundle.members), billOfMaterials: productBundle.members };
}

/**
 * For `shipgate version`: makes the CHANGELOG.md entry of each component's next release. The link to pull
 * requests is worked out once for all of them.
 */
export async function changelogEntries(plan: PlannedRelease, request: { policy: Policy; now: Date }): Promise<(component: ComponentPlan) => Promise<string>> {
  const context = await notesContext(plan, request);
  return async (component) => renderNotesMarkdown(request.policy, await notesFor(component, component.nextVersion as string, context), 1);
}

interface NotesContext {
  readonly policy: Policy;
  readonly plan: PlannedRelease;
  readonly tags: readonly TagRef[];
  /** The pull request link, asked of git (origin's URL) the first time a change names a pull request. */
  readonly prLink: () => Promise<string | null>;
  readonly today: string;
}

async function notesContext(plan: PlannedRelease, request: { policy: Policy; now: Date }): Promise<NotesContext> {
  const { policy } = request;
  return { policy, plan, tags: plan.tags, prLink: prLinkOnce(policy, plan.state.root), today: await dateInZone(request.now, policy.timezone) };
}

function prLinkOnce(policy: Policy, root: string): () => Promise<string | null> {
  let link: Promise<string | null> | undefined;
  return () => (link ??= policy.notes.prLink === null ? linkFromRemote(root) : Promise.resolve(policy.notes.prLink));
}

async function notesFor(plan: ComponentPlan, version: string, context: NotesContext): Promise<ReleaseNotes> {
  const { policy } = context;
  const { component } = plan;
  const kind = ownEntry(policy.components, component.kind)!;
  const match = tagMatcher(kind.tag, component.name);
  const tagName = renderTag(kind.tag, { name: component.name, version });
  const tag = context.tags.find((t) => t.name === tagName);
  let commits = plan.commits;
  let previous = plan.lastVersion;
  let date = context.today;
  if (tag) {
    // A past release: the commits between the release before it and its tag.
    const earlier = context.tags.filter((t) => {
      const v = semver.valid(match(t.name) ?? '');
      return v !== null && semver.lt(v, version) && !semver.prerelease(v);
    });
    const before = findLastRelease(earlier.map((t) => t.name), match);
    const raw = await readCommits(context.plan.state.root, [tag.commit, ...(before.lastTag ? [`^refs/tags/${before.lastTag}`] : [])], [component.path || '.']);
    commits = planComponent(policy, { component, commits: raw }, { type: 'scheduled', reachableTags: before.lastTag ? [before.lastTag] : [], allTags: [] }).commits;
    previous = before.lastVersion;
    const seconds = (await readCommitDates(context.plan.state.root, [tag.commit])).get(tag.commit) ?? 0;
    date = await dateInZone(new Date(seconds * 1000), policy.timezone);
  } else if (version !== plan.nextVersion) {
    throw new ShipgateError('ENOTAG', `there is no release ${tagName}`, { category: 'not-found', hint: `the next release of ${component.name} is ${plan.nextVersion ?? 'not due'}` });
  }
  const values = { name: component.name, version, major: String(semver.major(version)) };
  const source = { root: context.plan.state.root, commonDir: context.plan.state.commonDir, component, match, tags: context.tags };
  // A past release reads its deprecations up to its tag; the next one up to the last release, plus its own commits.
  const lastCommit = context.tags.find((t) => t.name === plan.lastTag)?.commit ?? null;
  const upTo = tag ? { version, tagCommit: tag.commit, unreleased: [] } : { version, tagCommit: lastCommit, unreleased: context.plan.unreleased.get(unreleasedKey(component)) ?? [] };
  // Read at once: the deprecations (a git below the last release when they are not kept yet), the notes
  // files and origin's URL. Most releases' commits name no pull request: then no git process is spent on the remote.
  const [deprecations, migrationGuide, knownIssues, prLink] = await Promise.all([
    deprecationsUpTo(source, upTo),
    firstFile(context.plan.state.root, component.path, policy.notes.migrationGuide.map((p) => fill(p, values)), 'migration guide'),
    firstFile(context.plan.state.root, component.path, policy.notes.knownIssues.map((p) => fill(p, values)), 'known issues file'),
    commits.some((commit) => commit.changes.some((change) => change.pr !== null)) ? context.prLink() : null,
  ]);
  return buildNotes(policy, {
    component: component.name,
    kind: component.kind,
    version,
    previousVersion: previous,
    date,
    commits,
    deprecations,
    migrationGuide,
    knownIssues,
    dependencies: dependencyLines(context, component),
    prLink,
  });
}

function dependencyLines(context: NotesContext, component: Component): string[] {
  const { policy } = context;
  const lines = [...(ownEntry(policy.notes.dependencies, component.name) ?? [])];
  const declared = component.declared ?? {};
  const kindOf = (name: string) => context.plan.components.find((c) => c.component.name === name)?.component.kind ?? (ownEntry(policy.bundles, name) !== undefined ? 'bundle' : '');
  for (const [name, range] of Object.entries(declared.requires ?? {})) lines.push(fill(policy.notes.templates.requires, { name, kind: kindOf(name), version: range.replace(/^[\^~>=v\s]+/, '') }));
  for (const [name, range] of Object.entries(declared.compatible ?? {})) lines.push(fill(policy.notes.templates.compatible, { name, kind: kindOf(name), version: range.replace(/^[\^~>=v\s]+/, '') }).replace(/\s{2,}/g, ' '));
  return lines;
}

/**
 * The first of the policy's notes files that exists, beside the component or at the root. Their text goes
 * into the notes and the committed CHANGELOG.md, so one that leaves the repository is refused.
 */
async function firstFile(root: string, dir: string, candidates: readonly string[], what: string): Promise<string | null> {
  for (const candidate of candidates) {
    for (const base of [dir, '']) {
      const file = path.join(base, candidate);
      const text = await readInside(root, file, what).catch((cause: unknown) => {
        throw cause instanceof ShipgateError ? cause : errors.fileUnreadable(file, cause);
      });
      if (text !== undefined) return text;
    }
  }
  return null;
}

/** https://github.com/o/r/pull/{number} or https://gitlab.com/g/p/-/merge_requests/{number} from origin. */
export async function linkFromRemote(root: string): Promise<string | null> {
  const result = await git(['remote', 'get-url', 'origin'], { cwd: root, okCodes: [2, 128] });
  return prLinkFromRemote(result.code === 0 ? result.stdout.trim() : '');
}

export function prLinkFromRemote(url: string): string | null {
  const match = /^(?:https?:\/\/(?:[^@/]+@)?|git@|ssh:\/\/git@)([^/:]+)[/:](.+?)(?:\.git)?\/?$/.exec(url);
  if (!match) return null;
  const [, host, project] = match as unknown as [string, string, string];
  if (host.includes('gitlab')) return `https://${host}/${project}/-/merge_requests/{number}`;
  if (host.includes('github')) return `https://${host}/${project}/pull/{number}`;
  return null;
}

function emptyNotes(name: string, kind: string, version: string, previous: string | null, date: string): ReleaseNotes {
  return { component: name, kind, version, previousVersion: previous, date, highlights: [], features: [], fixes: [], performance: [], breaking: [], removed: [], deprecations: [], migration: null, dependencies: [], knownIssues: null, members: [], billOfMaterials: [] };
}
