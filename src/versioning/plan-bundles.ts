import type { Policy } from '../policy/schema.js';
import { findLastRelease, maxBump, nextVersion, renderTag, tagMatcher, type Bump } from './tag-template.js';
import type { BundlePlan, ComponentPlan } from './types.js';

/**
 * Bundles carry member versions: the policy's bundles (the monthly platform release) and components
 * whose kind bundles other kinds (a product carries its modules). A bundle's bump is the highest of
 * its own and its members'; its bill of materials lists each member at the version it ships.
 * Returns the bundles and the component plans with products raised to their bundle bump. Pure.
 */
export function planBundles(policy: Policy, plans: readonly ComponentPlan[], reachableTags: readonly string[]): { bundles: BundlePlan[]; plans: ComponentPlan[] } {
  const bundles: BundlePlan[] = [];
  const member = (plan: ComponentPlan) => ({ name: plan.component.name, kind: plan.component.kind, version: plan.nextVersion ?? plan.lastVersion ?? plan.component.version });

  for (const [name, bundle] of Object.entries(policy.bundles)) {
    const members = plans.filter((plan) => bundle.members.includes(plan.component.kind));
    const bump = members.reduce<Bump | null>((highest, plan) => maxBump(highest, plan.bump), null);
    const { lastTag, lastVersion } = findLastRelease(reachableTags, tagMatcher(bundle.tag, name));
    const next = bump === null ? null : lastVersion === null ? policy.versioning.initialVersion : nextVersion(lastVersion, bump, policy.versioning.zeroMajorBreakingBumps);
    const reasons = members.filter((plan) => plan.bump !== null).map((plan) => `${plan.component.name} ${plan.lastVersion ?? 'new'} -> ${plan.nextVersion} (${plan.bump})`);
    bundles.push({ name, train: bundle.train, kind: 'bundle', lastTag, lastVersion, bump, nextVersion: next, nextTag: next === null ? null : renderTag(bundle.tag, { name, version: next }), reasons, members: members.map(member) });
  }

  const raised = plans.map((plan) => {
    const kind = policy.components[plan.component.kind]!;
    if (kind.bundles.length === 0) return plan;
    const candidates = plans.filter((other) => kind.bundles.includes(other.component.kind));
    const declared = candidates.filter((other) => plan.component.localDependencies.includes(other.component.name));
    // A product that declares no module dependencies ships every module of the kinds it bundles.
    const members = declared.length > 0 ? declared : candidates;
    const memberBump = members.reduce<Bump | null>((highest, other) => maxBump(highest, other.bump), null);
    const bump = maxBump(plan.bump, memberBump);
    const memberReasons = members.filter((m) => m.bump !== null).map((m) => `carries ${m.component.name} ${m.nextVersion} (${m.bump})`);
    let updated = plan;
    if (bump !== plan.bump && plan.lastVersion !== null) {
      const next = nextVersion(plan.lastVersion, bump as Bump, policy.versioning.zeroMajorBreakingBumps);
      const own = plan.reasons.filter((reason) => !reason.startsWith('no '));
      updated = { ...plan, bump, nextVersion: next, nextTag: renderTag(kind.tag, { name: plan.component.name, version: next }), reasons: [...own, ...memberReasons] };
    } else if (memberReasons.length > 0) {
      updated = { ...plan, reasons: [...plan.reasons, ...memberReasons] };
    }
    bundles.push({
      name: plan.component.name,
      train: kind.train,
      kind: 'product',
      lastTag: updated.lastTag,
      lastVersion: updated.lastVersion,
      bump: updated.bump,
      nextVersion: updated.nextVersion,
      nextTag: updated.nextTag,
      reasons: updated.reasons,
      members: members.map(member),
    });
    return updated;
  });
  return { bundles, plans: raised };
}
