import { durationMs } from '../policy/duration.js';
import type { Policy } from '../policy/schema.js';
import type { MetricTargets } from './types.js';

export function metricTargets(policy: Policy): MetricTargets {
  const { metrics } = policy;
  return {
    commitToDeploySeconds: durationMs(metrics.leadTime.commitToDeploy) / 1000,
    featureToProductionSeconds: durationMs(metrics.leadTime.featureToProduction) / 1000,
    patch: metrics.deploymentFrequency.patch,
    minor: metrics.deploymentFrequency.minor,
    changeFailureRateBelow: metrics.changeFailureRate.below,
    timeToRestoreBelowSeconds: durationMs(metrics.mttr.below) / 1000,
  };
}

/**
 * The environment whose deploys are "production" for the metrics: the policy's metrics.environment,
 * else one named production, else the last one in the environments' `after` order.
 */
export function productionEnvironment(policy: Policy): string | null {
  const names = Object.keys(policy.environments);
  if (policy.metrics.environment !== null) return policy.metrics.environment;
  if (names.includes('production')) return 'production';
  const followed = new Set(Object.values(policy.environments).map((environment) => environment.after));
  return names.find((name) => !followed.has(name)) ?? names.at(-1) ?? null;
}

/** The train a component kind (or a bundle) rides. */
export function trainOfKind(policy: Policy, kind: string): string | null {
  if (Object.hasOwn(policy.components, kind)) return policy.components[kind]!.train;
  if (Object.hasOwn(policy.bundles, kind)) return policy.bundles[kind]!.train;
  return null;
}
