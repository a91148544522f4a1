import path from 'node:path';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { TagOutcome } from '../gates/types.js';
import { deployPlaceholders, fillPlaceholders } from '../policy/placeholders.js';
import type { Policy } from '../policy/schema.js';
import { DistributionClient } from '../registry/distribution-client.js';
import { docker, dockerEngineRunning } from '../registry/docker-engine.js';
import { parseImage } from '../registry/image-reference.js';
import { planTags, type TagPlan } from '../registry/plan-tags.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { findRelease } from './resolve-release.js';

export interface ArtifactsResult {
  readonly release: string;
  /** The image repository, without a tag. */
  readonly image: string;
  readonly plan: readonly TagPlan[];
  /** What --push did with each tag; empty without --push. */
  readonly tags: readonly TagOutcome[];
  /** Why the registry's tags could not be read (the plan then assumes none). */
  readonly note: string | null;
}

/**
 * `shipgate artifacts <release> [--push]`: the release's tags from artifacts.tags, SemVer-aware for
 * the floating ones (plan-tags.ts), and with --push their promotion in the registry: the manifest of
 * the release's own tag is put under each tag that moves (no layer moves). The own tag must be in the
 * registry: CI pushed it, or `docker build` made and pushed it where a Docker engine runs. The result
 * is an event in the release's history.
 */
export async function promoteArtifacts(options: { store: Store; policy: Policy; cwd: string; ref: string; push: boolean; actor: string; tokenId?: string | undefined; env: NodeJS.ProcessEnv }): Promise<ArtifactsResult> {
  const { store, policy, env } = options;
  const release = await findRelease(store, options.ref);
  const values = deployPlaceholders(policy, release.component, release.version, '');
  const image = fillPlaceholders(policy.artifacts.image, { ...values, image: '' });
  const client = new DistributionClient(parseImage(image), { username: env.SHIPGATE_REGISTRY_USERNAME, password: env.SHIPGATE_REGISTRY_PASSWORD });
  let existing: string[] = [];
  let note: string | null = null;
  try {
    existing = await client.listTags();
  } catch (error) {
    if (options.push) throw error;
    note = `the registry's tags could not be read (${(error as Error).message}): the plan assumes none`;
  }
  const plan = planTags(policy.artifacts.tags, release.version, existing, { ...values });
  if (!options.push) return { release: release.id, image, plan, tags: [], note };

  const own = plan.find((entry) => !entry.floating)?.tag ?? release.version;
  let source = await client.getManifest(own);
  if (source === undefined) {
    if (!(await dockerEngineRunning(env))) {
      throw new ShipgateError('EARTIFACT', `${image}:${own} is not in the registry, and no Docker engine runs here to build it`, { category: 'conflict', hint: `push ${image}:${own} from CI first (docker build and push), then promote: shipgate artifacts ${release.id} --push` });
    }
    const context = path.join(options.cwd, release.path, policy.artifacts.build.context);
    const built = await docker(['build', '--file', path.join(release.path ? path.join(options.cwd, release.path) : options.cwd, policy.artifacts.build.dockerfile), '--tag', `${image}:${own}`, context], { cwd: options.cwd, env });
    if (built.code !== 0) throw new ShipgateError('EARTIFACT', `docker build of ${image}:${own} failed: ${built.last}`, { category: 'conflict', hint: 'fix the build, then run it again' });
    const pushed = await docker(['push', `${image}:${own}`], { cwd: options.cwd, env });
    if (pushed.code !== 0) throw new ShipgateError('EARTIFACT', `docker push of ${image}:${own} failed: ${pushed.last}`, { category: 'unavailable', hint: 'check the registry credentials (docker login)' });
    source = await client.getManifest(own);
    if (source === undefined) throw new ShipgateError('EARTIFACT', `${image}:${own} was pushed but the registry does not show it`, { category: 'unavailable', hint: 'run it again' });
  }
  const tags: TagOutcome[] = [];
  for (const entry of plan) {
    if (!entry.move) {
      tags.push({ tag: entry.tag, action: 'kept', detail: entry.reason });
      continue;
    }
    // The world is checked before the effect: a tag already on this manifest is not put again.
    const now = entry.tag === own ? source : await client.getManifest(entry.tag);
    if (now !== undefined && now.digest === source.digest) {
      tags.push({ tag: entry.tag, action: 'unchanged', detail: `already ${source.digest}` });
      continue;
    }
    await client.putManifest(entry.tag, source);
    tags.push({ tag: entry.tag, action: now === undefined ? 'created' : 'moved', detail: `${source.digest}${now === undefined ? '' : ` (was ${now.digest})`}: ${entry.reason}` });
  }
  await mutateRelease(store, release.id, () => ({ actor: options.actor, tokenId: options.tokenId, events: [{ kind: 'artifacts', image, tags }] }));
  return { release: release.id, image, plan, tags, note };
}
