import { ShipgateError } from '../errors/shipgate-error.js';
import type { Environment, Policy } from '../policy/schema.js';

/** Environments no other one comes after: where a release ends (production). */
export function finalEnvironments(policy: Pick<Policy, 'environments'>): string[] {
  const names = Object.keys(policy.environments);
  const before = new Set(names.map((name) => policy.environments[name]?.after).filter((after): after is string => after != null));
  return names.filter((name) => !before.has(name));
}

/** Environments no other one must be reached before: where a release starts (staging). */
export function firstEnvironments(policy: Pick<Policy, 'environments'>): string[] {
  return Object.entries(policy.environments)
    .filter(([, environment]) => environment.after == null)
    .map(([name]) => name);
}

/** The environments that come right after `name` (production after staging). */
export function nextEnvironments(policy: Pick<Policy, 'environments'>, name: string): string[] {
  return Object.entries(policy.environments)
    .filter(([, environment]) => environment.after === name)
    .map(([other]) => other);
}

/** The path of a release from its first environment to `name`, first to last. */
export function pathTo(policy: Pick<Policy, 'environments'>, name: string): string[] {
  const path: string[] = [];
  for (let at: string | null | undefined = name; at != null && !path.includes(at); at = policy.environments[at]?.after) path.unshift(at);
  return path;
}

export function environmentOf(policy: Pick<Policy, 'environments'>, name: string): Environment {
  const environment = Object.hasOwn(policy.environments, name) ? policy.environments[name] : undefined;
  if (environment === undefined) {
    throw new ShipgateError('EENV', `unknown environment "${name}"`, { category: 'not-found', hint: `environments: ${Object.keys(policy.environments).join(', ') || '(none)'}` });
  }
  return environment;
}
