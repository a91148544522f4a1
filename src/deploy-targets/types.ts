import type { DeployPlaceholders } from '../policy/placeholders.js';

/**
 * Where an environment's versions run. Each method is an external effect: callers check `current`
 * before repeating one, so a crash between doing it and recording it never does it twice.
 */
export interface DeployTarget {
  /** How people know it: "command ./deploy.sh", "kubernetes staging/deployment/billing". */
  readonly description: string;
  /** The version running now; null when nothing runs or it cannot tell. */
  current(signal?: AbortSignal): Promise<string | null>;
  /** Deploys the version and waits for the rollout; resolves with a line for the record. */
  deploy(version: string, signal?: AbortSignal): Promise<string>;
  /** Puts an older version back and waits for it; resolves with a line for the record. */
  rollback(version: string, signal?: AbortSignal): Promise<string>;
}

/** The placeholders of one version of the component in the environment. */
export type PlaceholdersFor = (version: string) => DeployPlaceholders;

/** A deploy effect that did not happen (a command failed, a rollout stalled): the deployment fails and rolls back. */
export class DeployEffectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployEffectError';
  }
}

/** What `current` printed, as a version: a bare `2.1.0`, `v2.1.0`, or an image reference ending in `:2.1.0`. */
export function versionFromText(text: string): string | null {
  const line = text.split(/\r?\n/).map((part) => part.trim()).find((part) => part !== '');
  if (line === undefined) return null;
  const slash = line.lastIndexOf('/');
  const colon = line.lastIndexOf(':');
  const tag = colon > slash ? line.slice(colon + 1) : line;
  const version = tag.replace(/^v(?=\d)/, '').split('@')[0] ?? '';
  return version === '' ? null : version;
}
