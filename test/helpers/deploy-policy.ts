import { POLICY_YAML } from './gate-fixtures.js';

export interface TestEnvironment {
  readonly name: string;
  readonly after: string | null;
  readonly soak: string | null;
  /** More of the environment's keys after its target, indented as they are (4 spaces). */
  readonly more?: string;
}

/**
 * The gate fixtures' policy that deploys: an image per component, and each environment a rolling
 * deploy in its own namespace, without smoke tests, through `target` (the environment's `target:`
 * block, indented 4 spaces). `artifacts` adds lines to the artifacts section, `top` top-level keys
 * before the environments.
 */
export function deployPolicyYaml(target: string, environments: readonly TestEnvironment[], options: { artifacts?: string; top?: string } = {}): string {
  const sections = environments.map(
    (environment) => `  ${environment.name}:
    after: ${environment.after ?? 'null'}
    soak: ${environment.soak ?? 'null'}
    namespace: ${environment.name}
    strategy: rolling
    smokeTests: null
${target}${environment.more ?? ''}`,
  );
  return `${POLICY_YAML}artifacts:
  image: registry.example/{name}
  tags: ['{version}']
${options.artifacts ?? ''}${options.top ?? ''}environments:
${sections.join('')}`;
}
