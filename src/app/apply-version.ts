import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ShipgateError } from '../errors/shipgate-error.js';
import { writeFileAtomic } from '../fs/write-file-atomic.js';
import { assertWritable } from '../git/repo-state.js';
import { git } from '../git/run-git.js';
import { planFileEdits, readText, type FileEdit } from '../manifests/plan-file-edits.js';
import type { Policy, ReleaseType } from '../policy/schema.js';
import { isPlaceholderVersion } from '../versioning/plan-components.js';
import { rangeUpdatesAmong, withDependents } from '../versioning/plan-dependents.js';
import { renderTag } from '../versioning/tag-template.js';
import type { BundlePlan, ComponentPlan } from '../versioning/types.js';
import { prependChangelog } from '../notes/changelog.js';
import { planRelease, type PlannedRelease } from './plan-release.js';
import { changelogEntries } from './release-notes.js';

export interface VersionStep {
  readonly component: string;
  readonly version: string;
  readonly tag: string;
  readonly message: string;
  readonly edits: readonly FileEdit[];
}

export interface VersionResult {
  readonly plan: PlannedRelease;
  readonly steps: readonly VersionStep[];
  readonly bundleTags: readonly { readonly tag: string; readonly message: string }[];
  readonly applied: boolean;
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
}

/**
 * `shipgate version`: writes each released component's new version into its files, commits
 * "Release <name> v<version>" and creates an annotated tag, dependencies first; then tags the bundles.
 * If anything fails half-way, the commits, tags and files it made are undone.
 */
export async function applyVersion(options: ApplyVersionOptions): Promise<VersionResult> {
  const plan = await planRelease({ ...options, withStatus: true });
  if (!options.dryRun) assertWritable(plan.state, options.allowDirty);
  const wanted = options.components && options.components.length > 0 ? new Set(options.components) : undefined;
  for (const name of wanted ?? []) {
    if (!plan.components.some((c) => c.component.name === name)) throw new ShipgateError('ECOMPONENT', `unknown component "${name}"`, { hint: `components: ${plan.components.map((c) => c.component.name).join(', ') || '(none found)'}` });
  }
  // A named component brings the dependents whose ranges its new version leaves: they must be released with it.
  const selected = wanted && withDependents(plan.components, wanted);
  const releasing = orderByDependencies(plan.components.filter((c) => c.nextVersion !== null && (!selected || selected.has(c.component.name))));
  const blocked = releasing.filter((c) => c.problems.length > 0);
  if (blocked.length > 0) throw new ShipgateError('EPLAN', `${blocked[0]!.component.name}: ${blocked[0]!.problems[0]}`, { exitCode: 1, hint: 'nothing was changed' });
  for (const c of releasing) {
    const manifest = c.component.version;
    if (c.lastVersion !== null && manifest !== null && !isPlaceholderVersion(manifest) && manifest !== c.lastVersion && manifest !== c.nextVersion) {
      throw new ShipgateError('EMISMATCH', `${c.component.manifest} says ${manifest} but the last release tag is ${c.lastTag}`, {
        hint: `set it back to ${c.lastVersion}, or tag the release that set ${manifest}; nothing was changed`,
      });
    }
  }

  const root = plan.state.root;
  const pending = new Map<string, string>();
  const fromDisk = readText(root);
  const read = async (file: string) => pending.get(file) ?? (await fromDisk(file));
  const steps: VersionStep[] = [];
  const made = new Set(releasing.map((c) => c.component.name));
  const entry = options.changelog ? await changelogEntries(plan, { policy: options.policy, now: options.changelog.now }) : undefined;
  for (const c of releasing) {
    const kind = options.policy.components[c.component.kind]!;
    const version = c.nextVersion as string;
    const edits = [...(await planFileEdits(root, [{ component: c.component, version, ranges: rangeUpdatesAmong(c, made) }], read))];
    if (entry) edits.push(...(await changelogEdit(c, entry, read)));
    for (const edit of edits) pending.set(edit.file, edit.after);
    steps.push({ component: c.component.name, version, tag: c.nextTag as string, message: renderTag(kind.commitMessage, { name: c.component.name, version }), edits });
  }
  const bundleTags = plan.bundles
    .filter((b) => b.kind === 'bundle' && b.nextTag !== null && releasing.some((c) => b.members.some((m) => m.name === c.component.name)))
    .map((b) => ({ tag: b.nextTag as string, message: billOfMaterials(b) }));
  if (options.dryRun || steps.length === 0) return { plan, steps, bundleTags, applied: false };

  await commitAndTag(root, steps, bundleTags);
  return { plan, steps, bundleTags, applied: true };
}

async function commitAndTag(root: string, steps: readonly VersionStep[], bundleTags: readonly { tag: string; message: string }[]): Promise<void> {
  const originalHead = (await git(['rev-parse', 'HEAD'], { cwd: root })).stdout.trim();
  const originals = new Map<string, string | undefined>();
  const tags: string[] = [];
  try {
    for (const step of steps) {
      for (const edit of step.edits) {
        if (!originals.has(edit.file)) originals.set(edit.file, edit.created ? undefined : edit.before);
        await writeFileAtomic(path.join(root, edit.file), edit.after);
      }
      if (step.edits.length > 0) await git(['add', '--', ...step.edits.map((e) => e.file)], { cwd: root });
      await git(['commit', '--quiet', '--allow-empty', '--no-verify', '-m', step.message], { cwd: root });
      await git(['tag', '-a', step.tag, '-m', step.message], { cwd: root });
      tags.push(step.tag);
    }
    for (const bundle of bundleTags) {
      await git(['tag', '-a', bundle.tag, '-m', bundle.message], { cwd: root });
      tags.push(bundle.tag);
    }
  } catch (error) {
    // Undo in reverse: tags, commits (keeping the index and work tree), then the files themselves.
    for (const tag of tags.reverse()) await git(['tag', '-d', tag], { cwd: root, okCodes: [1] }).catch(() => undefined);
    await git(['reset', '--quiet', '--soft', originalHead], { cwd: root }).catch(() => undefined);
    if (originals.size > 0) await git(['reset', '--quiet', originalHead, '--', ...originals.keys()], { cwd: root, okCodes: [1] }).catch(() => undefined);
    for (const [file, text] of originals) {
      if (text === undefined) await rm(path.join(root, file), { force: true });
      else await writeFileAtomic(path.join(root, file), text);
    }
    throw error;
  }
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
