import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { admits, effectiveRange, rewriteRange } from './dependency-range.js';
import { planBundles } from './plan-bundles.js';
import { planComponent } from './plan-components.js';
import { planDependents, planRangeUpdates, rangeUpdatesAmong, withDependents } from './plan-dependents.js';
import type { CommitInfo, Component, ComponentPlan, DependencyRange } from './types.js';

const policy = builtinPolicy();
const none: Policy = { ...policy, versioning: { ...policy.versioning, dependents: 'none' } };

type Written = readonly [dependency: string, range: string, table?: string];
const component = (name: string, kind: 'module' | 'platform' | 'product', version: string, ranges: readonly Written[] = []): Component => {
  const cargo = kind === 'platform';
  const dir = { module: 'modules', platform: 'platform', product: 'products' }[kind];
  const manifest = `${dir}/${name}/${cargo ? 'Cargo.toml' : 'package.json'}`;
  return {
    name, kind, path: `${dir}/${name}`, manifest, packageName: cargo ? name : `@7d/${name}`, version,
    localDependencies: ranges.map(([dependency]) => dependency),
    dependencyRanges: ranges.map(([dependency, range, table = 'dependencies']): DependencyRange => ({ component: dependency, ecosystem: cargo ? 'cargo' : 'npm', table: [table], key: cargo ? dependency : `@7d/${dependency}`, range })),
  };
};
const tagOf = (c: Component) => (c.kind === 'platform' ? `platform-${c.name}-v${c.version}` : `${c.name}/v${c.version}`);

let counter = 0;
const commit = (message: string): CommitInfo => {
  counter += 1;
  return { sha: counter.toString(16).padStart(40, 'b'), parents: [], authorName: 'A', authorEmail: 'a@example.com', date: '2026-02-01T00:00:00Z', subject: message, body: message, files: [] };
};

/** The whole planning pipeline as plan-release runs it: components, dependents, bundles, range edits. */
function planAll(components: readonly Component[], changes: Record<string, string[]>, options: { policy?: Policy; prerelease?: boolean; extraTags?: string[] } = {}): Map<string, ComponentPlan> {
  const p = options.policy ?? policy;
  const tags = [...components.map(tagOf), ...(options.extraTags ?? [])];
  const planned = components.map((c) => planComponent(p, { component: c, commits: (changes[c.name] ?? []).map(commit) }, { type: 'scheduled', reachableTags: tags, allTags: tags, ...(options.prerelease ? { prerelease: true } : {}) }));
  const dependents = planDependents(p, planned, { allTags: tags, ...(options.prerelease ? { prerelease: true } : {}) });
  const plans = planRangeUpdates(p, planBundles(p, dependents, tags).plans);
  return new Map(plans.map((plan) => [plan.component.name, plan]));
}
const summary = (plan: ComponentPlan | undefined) => ({ next: plan?.nextVersion ?? null, ranges: (plan?.rangeUpdates ?? []).map((u) => `${u.table.join('.')}.${u.key}: ${u.from} -> ${u.to}`) });

const range = (written: string, ecosystem: 'npm' | 'cargo' = 'npm'): DependencyRange => ({ component: 'billing', ecosystem, table: ['dependencies'], key: 'billing', range: written });

describe('what a written range admits (node-semver for npm, Cargo\'s requirements for crates)', () => {
  it.each([
    // [written, ecosystem, current version of the dependency, new version, admitted]
    ['^1.2.0', 'npm', '1.2.0', '1.9.0', true],
    ['^1.2.0', 'npm', '1.2.0', '2.0.0', false],
    ['~1.2.0', 'npm', '1.2.0', '1.3.0', false],
    ['1.2.0', 'npm', '1.2.0', '1.2.1', false],
    ['workspace:^1.2.0', 'npm', '1.2.0', '1.3.0', true],
    // pnpm publishes workspace:* as the exact version and workspace:^ as ^version: changesets reads them so too
    ['workspace:*', 'npm', '1.2.0', '1.2.1', false],
    ['workspace:^', 'npm', '1.2.0', '1.3.0', true],
    ['workspace:^', 'npm', '1.2.0', '2.0.0', false],
    ['workspace:~', 'npm', '1.2.0', '1.3.0', false],
    ['*', 'npm', '1.2.0', '9.0.0', true],
    ['>=1 <2', 'npm', '1.2.0', '2.0.0', false],
    ['^1.2.0', 'npm', '1.2.0', '1.3.0-rc.1', false],
    // Cargo: a bare requirement is a caret one, commas separate comparators, 0.x carets stop at the minor
    ['1.2', 'cargo', '1.2.0', '1.9.0', true],
    ['0.3.1', 'cargo', '0.3.1', '0.4.0', false],
    ['0.3', 'cargo', '0.3.1', '0.3.9', true],
    ['=1.2.0', 'cargo', '1.2.0', '1.2.1', false],
    ['>=1.2, <2', 'cargo', '1.2.0', '1.9.9', true],
    ['>=1.2, <2', 'cargo', '1.2.0', '2.0.0', false],
    ['1.*', 'cargo', '1.2.0', '2.0.0', false],
  ] as const)('%s (%s, was %s) admits %s: %s', (written, ecosystem, current, version, expected) => {
    const effective = effectiveRange(range(written, ecosystem), current);
    expect(effective).not.toBeNull();
    expect(admits(effective as string, version)).toBe(expected);
  });

  it('reads file:, link:, npm: aliases, git URLs and dist-tags as no range at all', () => {
    for (const written of ['file:../billing', 'link:../billing', 'npm:@7d/billing@^1', 'github:7d/billing', 'latest', 'workspace:../billing']) expect(effectiveRange(range(written), '1.0.0')).toBeNull();
  });
});

describe('rewriting a range to a new version keeps its form, or says it cannot', () => {
  it.each([
    ['^1.2.0', 'npm', '^2.0.0'],
    ['~1.2', 'npm', '~2.0.0'],
    ['1.2.0', 'npm', '2.0.0'],
    ['=1.2.0', 'npm', '=2.0.0'],
    ['>=1.2.0', 'npm', '>=2.0.0'],
    ['workspace:^1.2.0', 'npm', 'workspace:^2.0.0'],
    ['workspace:~1.2.0', 'npm', 'workspace:~2.0.0'],
    ['workspace:1.2.0', 'npm', 'workspace:2.0.0'],
    ['workspace:*', 'npm', 'workspace:*'],
    ['workspace:^', 'npm', 'workspace:^'],
    ['workspace:~', 'npm', 'workspace:~'],
    ['1.2', 'cargo', '2.0.0'],
    ['0.3', 'cargo', '2.0.0'],
    ['=1.2.0', 'cargo', '=2.0.0'],
    ['>= 1.2', 'cargo', '>=2.0.0'],
    // forms whose meaning a rewrite would change: X-ranges, upper bounds, several comparators, unions
    ['1.x', 'npm', null],
    ['1.2', 'npm', null],
    ['>=1 <2', 'npm', null],
    ['1.0.0 - 1.9.0', 'npm', null],
    ['^1.0.0 || ^2.0.0', 'npm', null],
    ['<2', 'npm', null],
    ['1.*', 'cargo', null],
    ['=1.2', 'cargo', null],
    ['>=1.2, <2', 'cargo', null],
  ] as const)('%s (%s) -> %s', (written, ecosystem, expected) => {
    expect(rewriteRange(range(written, ecosystem), '2.0.0')).toBe(expected);
  });
});

/**
 * A workspace as changesets' documentation describes one: billing, reports (dependencies on billing
 * ^2.0.0), invoices (reports pinned at exactly 1.4.0), dashboard (reports ^1.4.0), a product erp
 * (billing ^2.0.0) and inventory, on its own. The expected answers are changesets' rules applied by
 * hand: a dependent whose range the new version leaves is a patch, transitively; a released package
 * gets every range on a released one updated (updateInternalDependencies: "patch"), keeping ^ ~ and
 * exact forms. Where shipgate deliberately differs, the test says so.
 */
describe('planDependents: dependents released as changesets releases them', () => {
  const billing = component('billing', 'module', '2.0.0');
  const reports = component('reports', 'module', '1.4.0', [['billing', '^2.0.0']]);
  const invoices = component('invoices', 'module', '3.1.0', [['reports', '1.4.0']]);
  const dashboard = component('dashboard', 'module', '0.2.0', [['reports', '^1.4.0']]);
  const erp = component('erp', 'product', '5.1.0', [['billing', '^2.0.0']]);
  const inventory = component('inventory', 'module', '1.8.0');
  const workspace = [billing, reports, invoices, dashboard, erp, inventory];

  it('a major release of billing: reports leaves ^2.0.0 (patch), invoices then leaves exactly 1.4.0 (patch), dashboard\'s ^1.4.0 admits 1.4.1', () => {
    const plans = planAll(workspace, { billing: ['feat!: invoices v3'] });
    expect(summary(plans.get('billing'))).toEqual({ next: '3.0.0', ranges: [] });
    expect(summary(plans.get('reports'))).toEqual({ next: '1.4.1', ranges: ['dependencies.@7d/billing: ^2.0.0 -> ^3.0.0'] });
    expect(summary(plans.get('invoices'))).toEqual({ next: '3.1.1', ranges: ['dependencies.@7d/reports: 1.4.0 -> 1.4.1'] });
    expect(summary(plans.get('dashboard'))).toEqual({ next: null, ranges: [] });
    expect(summary(plans.get('inventory'))).toEqual({ next: null, ranges: [] });
    expect(plans.get('reports')?.reasons).toEqual(['depends on billing ^2.0.0, which 3.0.0 leaves -> patch']);
    expect(plans.get('invoices')?.reasons).toEqual(['depends on reports 1.4.0, which 1.4.1 leaves -> patch']);
    expect([plans.get('reports')?.leftBy, plans.get('invoices')?.leftBy]).toEqual([['billing'], ['reports']]);
  });

  it('the product carries billing\'s major (its bundle) and is not bumped twice; its own range is updated too', () => {
    // changesets has no bundles and would make erp 5.1.1; shipgate's policy has the product carry its modules' bump.
    const plans = planAll(workspace, { billing: ['feat!: invoices v3'] });
    expect(summary(plans.get('erp'))).toEqual({ next: '6.0.0', ranges: ['dependencies.@7d/billing: ^2.0.0 -> ^3.0.0'] });
    expect(plans.get('erp')?.reasons).toEqual(['depends on billing ^2.0.0, which 3.0.0 leaves -> patch', 'carries billing 3.0.0 (major)']);
  });

  it('a minor release of billing stays inside ^2.0.0: reports is not released, but the product, which carries billing, asks for ^2.1.0', () => {
    const plans = planAll(workspace, { billing: ['feat: recurring invoices'] });
    expect(summary(plans.get('reports'))).toEqual({ next: null, ranges: [] });
    expect(summary(plans.get('erp'))).toEqual({ next: '5.2.0', ranges: ['dependencies.@7d/billing: ^2.0.0 -> ^2.1.0'] });
  });

  it('a dependent released for its own commits gets its in-range ranges on released components updated (updateInternalDependencies: patch)', () => {
    const plans = planAll(workspace, { billing: ['feat: recurring invoices'], reports: ['fix: totals'] });
    expect(summary(plans.get('reports'))).toEqual({ next: '1.4.1', ranges: ['dependencies.@7d/billing: ^2.0.0 -> ^2.1.0'] });
    // and reports' own release leaves invoices' exact pin
    expect(summary(plans.get('invoices'))).toEqual({ next: '3.1.1', ranges: ['dependencies.@7d/reports: 1.4.0 -> 1.4.1'] });
  });

  it('versioning.dependents: none releases no dependent and warns, naming the file and the range', () => {
    const plans = planAll(workspace, { billing: ['feat!: invoices v3'] }, { policy: none });
    expect(summary(plans.get('reports'))).toEqual({ next: null, ranges: [] });
    expect(plans.get('reports')?.warnings).toEqual(['modules/reports/package.json: dependencies.@7d/billing is "^2.0.0", which billing 3.0.0 leaves; versioning.dependents is none, so reports is not released with it and the range stays: update it by hand']);
    expect(plans.get('reports')?.leftBy).toBeUndefined();
  });

  it('a range form it cannot rewrite is a plan problem once the new version leaves it, and left alone while it admits', () => {
    const odd = [billing, component('reports', 'module', '1.4.0', [['billing', '2.x'], ['billing', '>=2.0.0 <3.0.0', 'peerDependencies']])];
    const admitted = planAll(odd, { billing: ['feat: more'], reports: ['fix: x'] }).get('reports');
    expect([summary(admitted), admitted?.problems]).toEqual([{ next: '1.4.1', ranges: [] }, []]);
    const left = planAll(odd, { billing: ['feat!: v3'] }).get('reports');
    expect(left?.nextVersion).toBe('1.4.1');
    expect(left?.problems).toEqual([
      'modules/reports/package.json: dependencies.@7d/billing is "2.x", which billing 3.0.0 leaves, and shipgate rewrites only ^, ~, >= and exact versions: write it in one of those forms or change it by hand',
      'modules/reports/package.json: peerDependencies.@7d/billing is ">=2.0.0 <3.0.0", which billing 3.0.0 leaves, and shipgate rewrites only ^, ~, >= and exact versions: write it in one of those forms or change it by hand',
    ]);
  });

  it('workspace:* is left by every release, workspace:^ only by a major; both stay as written', () => {
    const ws = [billing, component('reports', 'module', '1.4.0', [['billing', 'workspace:*']]), component('audit', 'module', '1.0.0', [['billing', 'workspace:^']])];
    const patch = planAll(ws, { billing: ['fix: rounding'] });
    expect([summary(patch.get('reports')), summary(patch.get('audit'))]).toEqual([{ next: '1.4.1', ranges: [] }, { next: null, ranges: [] }]);
    const major = planAll(ws, { billing: ['feat!: v3'] });
    expect([summary(major.get('reports')), summary(major.get('audit'))]).toEqual([{ next: '1.4.1', ranges: [] }, { next: '1.0.1', ranges: [] }]);
  });

  it('a peer range that still admits is not narrowed; one the new version leaves is rewritten, with a patch', () => {
    // changesets makes a dependent of a peer that gets a minor or major a MAJOR release; shipgate applies versioning.dependents.
    const peers = [billing, component('reports', 'module', '1.4.0', [['billing', '^2.0.0', 'peerDependencies'], ['billing', '^2.0.0', 'devDependencies']])];
    expect(summary(planAll(peers, { billing: ['feat: more'], reports: ['fix: x'] }).get('reports'))).toEqual({ next: '1.4.1', ranges: ['devDependencies.@7d/billing: ^2.0.0 -> ^2.1.0'] });
    expect(summary(planAll(peers, { billing: ['feat!: v3'] }).get('reports'))).toEqual({ next: '1.4.1', ranges: ['peerDependencies.@7d/billing: ^2.0.0 -> ^3.0.0', 'devDependencies.@7d/billing: ^2.0.0 -> ^3.0.0'] });
  });

  it('a devDependencies range the new version leaves releases the dependent too (changesets edits it without a release)', () => {
    const dev = [billing, component('reports', 'module', '1.4.0', [['billing', '^2.0.0', 'devDependencies']])];
    expect(summary(planAll(dev, { billing: ['feat!: v3'] }).get('reports'))).toEqual({ next: '1.4.1', ranges: ['devDependencies.@7d/billing: ^2.0.0 -> ^3.0.0'] });
  });

  it('a range an earlier release left behind (billing 3.0.0 released alone) is caught when nothing else changes', () => {
    const released = [component('billing', 'module', '3.0.0'), reports];
    const plans = planAll(released, {});
    expect(summary(plans.get('reports'))).toEqual({ next: '1.4.1', ranges: ['dependencies.@7d/billing: ^2.0.0 -> ^3.0.0'] });
    expect(plans.get('reports')?.reasons).toEqual(['depends on billing ^2.0.0, which 3.0.0 leaves -> patch']);
    // billing is not released now: the edit asks for a version it already has, so it is kept when reports is released alone
    expect(rangeUpdatesAmong(plans.get('reports') as ComponentPlan, new Set(['reports']))).toHaveLength(1);
  });

  it('release candidates: a candidate leaves ^2.0.0 (npm and Cargo match a pre-release only when asked), so the dependent gets a candidate', () => {
    const plans = planAll([billing, reports], { billing: ['feat: more'] }, { prerelease: true, extraTags: ['reports/v1.4.1-rc.1'] });
    expect(summary(plans.get('billing'))).toEqual({ next: '2.1.0-rc.1', ranges: [] });
    expect(summary(plans.get('reports'))).toEqual({ next: '1.4.1-rc.2', ranges: ['dependencies.@7d/billing: ^2.0.0 -> ^2.1.0-rc.1'] });
  });

  it('Cargo path requirements: a bare "0.3.1" is ^0.3.1, which 0.4.0 leaves; ">=0.3" admits it and stays untouched', () => {
    const crates = [
      component('crypto', 'platform', '0.3.1'),
      component('identity', 'platform', '1.4.0', [['crypto', '0.3.1']]),
      component('audit', 'platform', '2.0.0', [['crypto', '0.3', 'dev-dependencies']]),
      component('tokens', 'platform', '1.1.0', [['crypto', '>=0.3']]),
    ];
    const plans = planAll(crates, { crypto: ['feat: argon2'] });
    expect(summary(plans.get('crypto'))).toEqual({ next: '0.4.0', ranges: [] });
    expect(summary(plans.get('identity'))).toEqual({ next: '1.4.1', ranges: ['dependencies.crypto: 0.3.1 -> 0.4.0'] });
    expect(summary(plans.get('audit'))).toEqual({ next: '2.0.1', ranges: ['dev-dependencies.crypto: 0.3 -> 0.4.0'] });
    expect(summary(plans.get('tokens'))).toEqual({ next: null, ranges: [] });
    const bundle = planBundles(policy, [...plans.values()], ['platform/v3.1.0']).bundles.find((b) => b.name === 'platform');
    expect(bundle?.members.map((m) => `${m.name}@${m.version}`)).toEqual(['crypto@0.4.0', 'identity@1.4.1', 'audit@2.0.1', 'tokens@1.1.0']);
  });

  it('naming one component releases the dependents it forces, and a range edit towards a release not made now is dropped', () => {
    const plans = [...planAll(workspace, { billing: ['feat!: invoices v3'], inventory: ['fix: x'] }).values()];
    expect([...withDependents(plans, new Set(['billing']))].sort()).toEqual(['billing', 'erp', 'invoices', 'reports']);
    const erp = plans.find((p) => p.component.name === 'erp') as ComponentPlan;
    expect(rangeUpdatesAmong(erp, new Set(['erp']))).toEqual([]);
    expect(rangeUpdatesAmong(erp, new Set(['erp', 'billing'])).map((u) => u.to)).toEqual(['^3.0.0']);
  });
});
