import semver from 'semver';
import type { Policy } from './schema.js';

/** The placeholders of deploy targets, smoke tests, analysis queries and artifact tags. */
export interface DeployPlaceholders {
  /** The component's name (billing); `{component}` says the same. */
  readonly name: string;
  readonly component: string;
  readonly version: string;
  readonly major: string;
  readonly minor: string;
  /** The full image reference of this version: artifacts.image, `:`, the version. */
  readonly image: string;
  readonly environment: string;
}

export function deployPlaceholders(policy: Pick<Policy, 'artifacts'>, component: string, version: string, environment: string): DeployPlaceholders {
  const parsed = semver.parse(version);
  const values = { name: component, component, version, major: String(parsed?.major ?? ''), minor: String(parsed?.minor ?? ''), environment };
  return { ...values, image: `${fillPlaceholders(policy.artifacts.image, { ...values, image: '' })}:${version}` };
}

/**
 * Replaces `{name}`-style placeholders by their values. Only known names are replaced, so PromQL's
 * own braces (`{code=~"5.."}`) pass through; a value fills text and can never add a placeholder.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([a-z]+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? (values[key] as string) : whole));
}
