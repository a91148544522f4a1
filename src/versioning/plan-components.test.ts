import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { planBundles } from './plan-bundles.js';
import { planComponent, type PlanOptions } from './plan-components.js';
import type { CommitInfo, Component, ComponentPlan } from './types.js';

const policy = builtinPolicy();
let counter = 0;
const commit = (message: string): CommitInfo => {
  counter += 1;
  const sha = counter.toString(16).padStart(40, 'a');
  return { sha, parents: [], authorName: 'A', authorEmail: 'a@example.com', date: '2026-02-01T00:00:00Z', subject: message.split('\n')[0]!, body: message, files: ['modules/billing/x.ts'] };
};
const billing: Component = { name: 'billing', kind: 'module', path: 'modules/billing', manifest: 'modules/billing/package.json', packageName: '@7d/billing', version: '2.0.0', localDependencies: [] };
const tags = ['billing/v1.9.0', 'billing/v2.0.0', 'billing/v2.1.0-rc.1', 'inventory/v9.0.0'];
const options: PlanOptions = { type: 'scheduled', reachableTags: tags, allTags: tags };
const plan = (messages: string[], extra: Partial<PlanOptions> = {}, component = billing, p: Policy = policy) =>
  planComponent(p, { component, commits: messages.map(commit) }, { ...options, ...extra });

describe('planComponent: the bump from Conventional Commits', () => {
  it.each([
    [['fix: rounding'], 'patch', '2.0.1'],
    [['perf: faster search'], 'patch', '2.0.1'],
    [['fix: a', 'feat: recurring invoices'], 'minor', '2.1.0'],
    [['feat!: new API'], 'major', '3.0.0'],
    [['fix: x\n\nBREAKING CHANGE: removes y'], 'major', '3.0.0'],
    [['docs: readme', 'chore: deps'], null, null],
  ])('%j -> %s %s', (messages, bump, version) => {
    const result = plan(messages);
    expect([result.bump, result.nextVersion]).toEqual([bump, version]);
    if (version) expect(result.nextTag).toBe(`billing/v${version}`);
  });

  it('starts from the highest final tag, ignoring pre-releases and other components', () => {
    expect(plan(['fix: x']).lastTag).toBe('billing/v2.0.0');
  });

  it('bumps MINOR for a breaking change before 1.0.0, as the policy says', () => {
    const young = { ...billing, version: '0.4.2' };
    expect(plan(['feat!: break'], { reachableTags: ['billing/v0.4.2'] }, young).nextVersion).toBe('0.5.0');
    const strict = { ...policy, versioning: { ...policy.versioning, zeroMajorBreakingBumps: 'major' as const } };
    expect(plan(['feat!: break'], { reachableTags: ['billing/v0.4.2'] }, young, strict).nextVersion).toBe('1.0.0');
  });

  it('lets a Release-As footer win', () => {
    const result = plan(['fix: x', 'chore: go big\n\nRelease-As: 4.0.0']);
    expect([result.nextVersion, result.bump, result.reasons[0]]).toEqual(['4.0.0', 'major', 'Release-As: 4.0.0']);
  });

  it('counts each conventional commit listed in a squash commit', () => {
    expect(plan(['fix: billing batch (#201)\n\n* feat: tax rules\n* fix: rounding']).bump).toBe('minor');
  });

  it('lets a revert cancel the unreleased commit it reverts', () => {
    const feature = commit('feat: tax rules');
    const revert = commit(`Revert "feat: tax rules"\n\nThis reverts commit ${feature.sha}.`);
    const result = planComponent(policy, { component: billing, commits: [revert, feature, commit('fix: typo')] }, options);
    expect(result.bump).toBe('patch');
    expect(result.commits.map((c) => c.subject)).toEqual(['fix: typo']);
  });

  it('counts a revert of an already released commit as a patch', () => {
    expect(plan(['Revert "feat: old"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.']).bump).toBe('patch');
  });

  it('reports a non-conventional message and treats it as the policy says', () => {
    expect(plan(['Update stuff']).warnings).toEqual([expect.stringMatching(/"Update stuff" is not a Conventional Commit \(ignored\)/)]);
    expect(plan(['Update stuff']).nextVersion).toBeNull();
    const patchy = { ...policy, versioning: { ...policy.versioning, nonConventional: 'patch' as const } };
    expect(plan(['Update stuff'], {}, billing, patchy).nextVersion).toBe('2.0.1');
    const strict = { ...policy, versioning: { ...policy.versioning, nonConventional: 'error' as const } };
    expect(plan(['Update stuff'], {}, billing, strict).problems).toHaveLength(1);
  });

  it('refuses more than a PATCH in a hotfix and names the commits that stop it', () => {
    const result = plan(['fix: crash', 'feat: new report'], { type: 'hotfix' });
    expect(result.problems).toEqual([expect.stringMatching(/^a hotfix release may only bump patch, but [0-9a-f]{7} "feat: new report" \(minor\) asks for more$/)]);
    expect(plan(['fix: crash'], { type: 'hotfix' }).problems).toEqual([]);
  });

  it('numbers release candidates after the existing ones', () => {
    expect(plan(['feat: x'], { prerelease: true }).nextVersion).toBe('2.1.0-rc.2');
    expect(plan(['fix: x'], { prerelease: true }).nextVersion).toBe('2.0.1-rc.1');
  });

  it('ignores tags that are not SemVer, with a warning, and notices a manifest that disagrees', () => {
    const result = plan(['fix: x'], { reachableTags: ['billing/v2.0.0', 'billing/vnext'] }, { ...billing, version: '2.0.5' });
    expect(result.warnings).toEqual(['tag billing/vnext is not a SemVer version: ignored', 'modules/billing/package.json says 2.0.5 but the last tag is billing/v2.0.0']);
  });

  it('releases the manifest version as the first release when there is no tag', () => {
    const result = plan(['feat: first'], { reachableTags: [] });
    expect([result.nextVersion, result.lastTag, result.reasons[0]]).toEqual(['2.0.0', null, 'first release: modules/billing/package.json version 2.0.0']);
  });

  it.each(['0.0.0-semantic-release', '0.0.0-development', '0.0.0', '0.0.0+build.1'])('gives a placeholder %s a real first version, versioning.initialVersion (1.0.0 as semantic-release)', (placeholder) => {
    const result = plan(['feat: first'], { reachableTags: [] }, { ...billing, version: placeholder });
    expect([result.nextVersion, result.nextTag, result.reasons[0]]).toEqual(['1.0.0', 'billing/v1.0.0', `first release: modules/billing/package.json says ${placeholder}, a placeholder: versioning.initialVersion 1.0.0`]);
  });

  it('gives a component without a manifest version, or without a manifest, versioning.initialVersion', () => {
    expect(plan(['fix: x'], { reachableTags: [] }, { ...billing, version: null }).reasons[0]).toBe('first release: modules/billing/package.json has no version: versioning.initialVersion 1.0.0');
    expect(plan(['fix: x'], { reachableTags: [] }, { ...billing, version: null, manifest: null }).nextVersion).toBe('1.0.0');
    const young = { ...policy, versioning: { ...policy.versioning, initialVersion: '0.1.0' } };
    expect(plan(['fix: x'], { reachableTags: [] }, { ...billing, version: '0.0.0-development' }, young).nextVersion).toBe('0.1.0');
    // a 0.0.x that is not 0.0.0 is a real version
    expect(plan(['fix: x'], { reachableTags: [] }, { ...billing, version: '0.0.1' }).nextVersion).toBe('0.0.1');
  });

  it('does not call a placeholder a disagreement with the last tag (semantic-release keeps it in the manifest)', () => {
    expect(plan(['fix: x'], {}, { ...billing, version: '0.0.0-semantic-release' }).warnings).toEqual([]);
  });
});

describe('planBundles', () => {
  const crate = (name: string, bump: ComponentPlan['bump'], next: string | null, last = '1.0.0'): ComponentPlan => ({
    component: { name, kind: 'platform', path: `platform/${name}`, manifest: `platform/${name}/Cargo.toml`, packageName: name, version: last, localDependencies: [] },
    lastTag: `platform-${name}-v${last}`, lastVersion: last, commits: [], bump, nextVersion: next, nextTag: next && `platform-${name}-v${next}`, breaking: false, reasons: [], warnings: [], problems: [],
  });

  it('gives the platform release the highest member bump and a bill of materials', () => {
    const { bundles } = planBundles(policy, [crate('identity', 'minor', '1.1.0'), crate('audit', 'patch', '1.0.1'), crate('tokens', null, null, '2.3.0')], ['platform/v3.1.0']);
    const platform = bundles.find((b) => b.name === 'platform');
    expect([platform?.lastTag, platform?.bump, platform?.nextTag]).toEqual(['platform/v3.1.0', 'minor', 'platform/v3.2.0']);
    expect(platform?.members).toEqual([
      { name: 'identity', kind: 'platform', version: '1.1.0' },
      { name: 'audit', kind: 'platform', version: '1.0.1' },
      { name: 'tokens', kind: 'platform', version: '2.3.0' },
    ]);
  });

  it('makes a first platform release at versioning.initialVersion', () => {
    const young = { ...policy, versioning: { ...policy.versioning, initialVersion: '0.1.0' } };
    expect(planBundles(policy, [crate('identity', 'minor', '1.1.0')], []).bundles.find((b) => b.name === 'platform')?.nextTag).toBe('platform/v1.0.0');
    expect(planBundles(young, [crate('identity', 'minor', '1.1.0')], []).bundles.find((b) => b.name === 'platform')?.nextTag).toBe('platform/v0.1.0');
  });

  it('raises a product to its modules\' highest bump and lists the modules it carries', () => {
    const module = (name: string, bump: ComponentPlan['bump'], next: string | null): ComponentPlan => ({ ...crate(name, bump, next), component: { ...crate(name, bump, next).component, kind: 'module', path: `modules/${name}` } });
    const product: ComponentPlan = { ...crate('erp', 'patch', '5.1.1', '5.1.0'), component: { name: 'erp', kind: 'product', path: 'products/erp', manifest: 'products/erp/package.json', packageName: 'erp', version: '5.1.0', localDependencies: ['billing'] } };
    const { bundles, plans } = planBundles(policy, [module('billing', 'minor', '1.1.0'), module('inventory', 'major', '2.0.0'), product], []);
    expect(plans.find((p) => p.component.name === 'erp')?.nextVersion).toBe('5.2.0');
    expect(bundles.find((b) => b.name === 'erp')?.members.map((m) => `${m.name}@${m.version}`)).toEqual(['billing@1.1.0']);
  });
});
