import { ShipgateError } from '../errors/shipgate-error.js';
import { environmentOf } from '../pipeline/environments.js';
import { deployPlaceholders } from '../policy/placeholders.js';
import type { Policy, Target } from '../policy/schema.js';
import { commandTarget } from './command-target.js';
import { kubernetesTarget } from './kubernetes-target.js';
import type { DeployTarget, PlaceholdersFor } from './types.js';

export interface TargetOptions {
  /** Where commands run: the repository, or the server's directory. */
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly pollMs?: number;
}

type Factories = { readonly [K in Target['type']]: (spec: Extract<Target, { type: K }>, placeholders: PlaceholdersFor, namespace: string, options: TargetOptions) => DeployTarget };

/** The targets by type: a new kind of target is one more entry. */
const FACTORIES: Factories = {
  command: (spec, placeholders, _namespace, options) => commandTarget(spec, placeholders, { cwd: options.cwd, ...(options.env ? { env: options.env } : {}) }),
  kubernetes: (spec, placeholders, namespace, options) => kubernetesTarget(spec, placeholders, { namespace, ...(options.env ? { env: options.env } : {}), ...(options.pollMs ? { pollMs: options.pollMs } : {}) }),
};

/** The deploy target of a component in an environment, from the policy. */
export function makeTarget(policy: Policy, component: string, environment: string, options: TargetOptions): DeployTarget {
  const env = environmentOf(policy, environment);
  const spec = env.target;
  if (spec === null) throw new ShipgateError('EDEPLOY', `environment ${environment} has no deploy target`, { category: 'input', hint: `add environments.${environment}.target (type command or kubernetes) to the policy` });
  const placeholders: PlaceholdersFor = (version) => deployPlaceholders(policy, component, version, environment);
  const factory = FACTORIES[spec.type] as (spec: Target, placeholders: PlaceholdersFor, namespace: string, options: TargetOptions) => DeployTarget;
  return factory(spec, placeholders, env.namespace, options);
}
