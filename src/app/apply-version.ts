import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { assertRefNames, type RefName } from '../git/check-ref-name.js';
import { assertWritable } from '../git/repo-state.js';
import { planFileEdits, readText, type FileEdit } from '../manifests/plan-file-edits.js';
import type { Policy, ReleaseType } from '../policy/schema.js';
import { isPlaceholderVersion } from '../versioning/plan-components.js';
import { rangeUpdatesAmong, withDependents } from '../versioning/plan-dependents.js';
import { renderTag } from '../versioning/tag-template.js';
import type { BundlePlan, ComponentPlan } from '../versioning/types.js';
import { prependChangelog } from '../notes/changelog.js';
import { planRelease, type PlannedRelease } from './plan-release.js';
import { removeJournal, writeJournal, type JournalStep, type VersionJournal } from './journal-file.js';
import { changelogEntries } from './release-notes.js';
import { finishVersion, NOTHING_DONE, readVersionProgress, undoVersion } from './version-journal.js';
import { assertNotInterrupted, withRepositoryWrite, type Recovery, type WriteOptions } from './write-repository.js';

export type VersionStep = JournalStep;

export interface VersionResult {
  /** Absent when the run only finished or undid an interrupted one (--continue, --abort). */
  readonly plan?: PlannedRelease;
  readonly steps: readonly VersionStep[];
  readonly bundleTags: readonly { readonly tag: string; readonly message: string }[];
  readonly applied: boolean;
  /** What was done first with a run that had been cut short. */
  readonly recovered?: Recovery;
}

export interface ApplyVersionOptions {
  readonly cwd: string;
  readonly policy: Policy;
  readonly type: ReleaseType;
  readonly train?: string;
  readonly components?: readonly string[];
  readonly prerelease?: boolean;
  readonly dryRun: boolean;
  readonly allowDirty: boolean;
  /** Prepend each release's notes to its CHANGELOG.md, dated by this clock (false: leave CHANGELOGs alone). */
  readonly changelog: { readonly now: Date } | false;
  /** The repository lock: how long to wait for another writer. */
  readonly lock: Pick<WriteOptions, 'waitMs' | 'onWait'>;
  /** Only deal with an interrupted run: finish it (continue) or undo it (abort), and plan nothing new. */
  readonly interrupted?: 'continue' | 'abort';
  readonly now: Date;
}

/**
 * `shipgate version`: writes each released component's new version into its files, commits
 * "Release <name> v<version>" and creates an annotated tag, dependencies first; then tags the bundles.
 * It holds the repository lock, and records the whole plan in a journal before changing anything: a
 * run killed at any moment is finished by the next one (see version-journal.ts). If a step fails, the
 * commits, tags and files it made are undone.
 */
export async function applyVersion(options: ApplyVersionOptions): Promise<VersionResult> {
  if (options.dryRun) {
    await assertNotInterrupted(options.cwd);
    return planVersion(options);
  }
  const write: WriteOptions = { command: 'version', ...options.lock, now: () => options.now, interrupted: options.interrupted === 'abort' ? 'undo' : 'finish' };
  return withRepositoryWrite(options.cwd, write, async ({ dirs, recovered }) => {
    const done = recovered === undefined ? {} : { recovered };
    if (options.interrupted !== undefined) {
      if (recovered === undefined) throw new ShipgateError('ENOJOURNAL', `no interrupted \`shipgate version\` to ${options.interrupted}`, { category: 'conflict', hint: 'run `shipgate version` to release' });
      return { steps: [], bundleTags: [], applied: false, ...done };
    }
    const result = await planVersion(options);
    if (result.steps.length === 0) return { ...result, ...done };
    const state = result.plan!.state;
    const journal: VersionJournal = {
      kind: 'version',
      startedAt: options.now.toISOString(),
      branch: state.branch as string,
      originalHead: state.head as string,
      steps: result.steps,
      bundleTags: result.bundleTags,
      direction: 'forward',
    };
    await writeJournal(dirs.gitDir, journal);
    try {
      await finishVersion(state.root, journal, NOTHING_DONE);
    } catch (error) {
      // Recorded first, so that an undo cut short is completed by the next run rather than turned into a release.
      await writeJournal(dirs.gitDir, { ...journal, direction: 'undo' });
      try {
        await undoVersion(state.root, journal, await readVersionProgress(state.root, journal));
        await removeJournal(dirs.gitDir);
      } catch {
        // The journal stays (as an undo): the next run completes it. The user needs the first error, not this one.
      }
      throw error;
    }
    await removeJournal(dirs.gitDir);
    return { ...result, applied: true, ...done };
  });
}

/** The plan and every file edit, commit message and tag it makes; reads the repository, changes nothing. */
async function planVersion(options: ApplyVersionOptions): Promise<VersionResult & { plan: PlannedRelease }> {
  const plan = await planRelease({ ...options, withStatus: true });
  if (!options.dryRun) assertWritable(plan.state, options.allowDirty);
  const wanted = options.components && options.components.length > 0 ? new Set(options.components) : undefined;
  for (const name of wanted ?? []) {
    if (!plan.components.some((c) => c.component.name === name)) throw errors.unknownComponent(name, plan.components.map((c) => c.component.name));
  }
  // A named component brings the dependents whose ranges its new version leaves: they must be released with it.
  const selected = wanted && withDependents(plan.components, wanted);
  const releasing = orderByDependencies(plan.components.filter((c) => c.nextVersion !== null && (!selected || selected.has(c.component.name))));
  const blocked = releasing.filter((c) => c.problems.length > 0);
  if (blocked.length > 0) throw new ShipgateError('EPLAN', `${blocked[0]!.component.name}: ${blocked[0]!.problems[0]}`, { category: 'rule', hint: 'nothing was changed' });
  for (const c of releasing) {
    const manifest = c.component.version;
    if (c.lastVersion !== null && manifest !== null && !isPlaceholderVersion(manifest) && manifest !== c.lastVersion && manifest !== c.nextVersion) {
      throw new ShipgateError('EMISMATCH', `${c.component.manifest} says ${manifest} but the last release tag is ${c.lastTag}`, {
        category: 'input',
        hint: `set it back to ${c.lastVersion}, or tag the release that set ${manifest}; nothing was changed`,
      });
    }
  }

  const root = plan.state.root;
  const pending = new Map<string, string>();
  const fromDisk = readText(root);
  const read = async (file: string) => pending.get(file) ?? (await fromDisk(file));
  const steps: VersionStep[] = [];
  const names: RefName[] = [];
  const made = new Set(releasing.map((c) => c.component.name));
  const entry = options.changelog ? await changelogEntries(plan, { policy: options.policy, now: options.changelog.now }) : undefined;
  for (const c of releasing) {
    const kind = options.policy.components[c.component.kind]!;
    const version = c.nextVersion as string;
    const edits = [...(await planFileEdits(root, [{ component: c.component, version, ranges: rangeUpdatesAmong(c, made) }], read))];
    if (entry) edits.push(...(await changelogEdit(c, entry, read)));
    for (const edit of edits) pending.set(edit.file, edit.after);
    steps.push({ component: c.component.name, version, tag: c.nextTag as string, message: renderTag(kind.commitMessage, { name: c.component.name, version }), edits });
    names.push({ name: c.nextTag as string, template: kind.tag });
  }
  const bundles = plan.bundles.filter((b) => b.kind === 'bundle' && b.nextTag !== null && releasing.some((c) => b.members.some((m) => m.name === c.component.name)));
  const bundleTags = bundles.map((b) => ({ tag: b.nextTag as string, message: billOfMaterials(b) }));
  await assertRefNames(root, 'tag', [...names, ...bundles.map((b) => ({ name: b.nextTag as string, template: options.policy.bundles[b.name]?.tag ?? '' }))]);
  return { plan, steps, bundleTags, applied: false };
}

async function changelogEdit(component: ComponentPlan, entry: (component: ComponentPlan) => Promise<string>, read: (file: string) => Promise<string | undefined>): Promise<FileEdit[]> {
  const file = path.posix.join(component.component.path, 'CHANGELOG.md');
  const before = await read(file);
  const after = prependChangelog(before, await entry(component));
  return after === before ? [] : [{ file, before: before ?? '', after, ...(before === undefined ? { created: true } : {}) }];
}

function billOfMaterials(bundle: BundlePlan): string {
  return [`Release ${bundle.name} v${bundle.nextVersion}`, '', 'Bill of materials:', ...bundle.members.map((m) => `- ${m.kind} ${m.name} ${m.version ?? '-'}`)].join('\n');
}

/** Dependencies before dependents, so a crate's release commit already requires released versions. */
function orderByDependencies(plans: readonly ComponentPlan[]): ComponentPlan[] {
  const byName = new Map(plans.map((p) => [p.component.name, p]));
  const ordered: ComponentPlan[] = [];
  const seen = new Set<string>();
  const visit = (plan: ComponentPlan, trail: Set<string>) => {
    if (seen.has(plan.component.name) || trail.has(plan.component.name)) return;
    trail.add(plan.component.name);
    for (const dependency of plan.component.localDependencies) {
      const other = byName.get(dependency);
      if (other) visit(other, trail);
    }
    seen.add(plan.component.name);
    ordered.push(plan);
  };
  for (const plan of plans) visit(plan, new Set());
  return ordered;
}

/** What `version --json` prints and the server will answer: each release made (or that a dry run would make). */
export function versionJson(result: VersionResult) {
  return {
    ...(result.recovered === undefined ? {} : { recovered: result.recovered }),
    applied: result.applied,
    releases: result.steps.map((s) => ({ component: s.component, version: s.version, tag: s.tag, commitMessage: s.message, files: s.edits.map((e) => e.file) })),
    bundleTags: result.bundleTags,
  };
}
