import type { AppsV1Api, KubeConfig, V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { durationMs } from '../policy/duration.js';
import { fillPlaceholders } from '../policy/placeholders.js';
import type { Policy } from '../policy/schema.js';
import { DeployEffectError, versionFromText, type DeployTarget, type PlaceholdersFor } from './types.js';

type KubernetesSpec = Extract<NonNullable<Policy['environments'][string]['target']>, { type: 'kubernetes' }>;

export interface KubernetesOptions {
  /** The environment's namespace, for a target that names none. */
  readonly namespace: string;
  /** KUBECONFIG is read from here (else the process's; else ~/.kube/config or the in-cluster account). */
  readonly env?: NodeJS.ProcessEnv;
  /** How often a rollout's status is read. */
  readonly pollMs?: number;
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * A Deployment's container through the official client (`kubectl set image`, `rollout status`,
 * `rollout undo` as API calls): the image is `{image}` (artifacts.image:version), the version is its
 * tag. A rollout is done when the controller saw the change and every replica is updated and
 * available; ProgressDeadlineExceeded or the policy's timeout fails it.
 */
export function kubernetesTarget(spec: KubernetesSpec, placeholders: PlaceholdersFor, options: KubernetesOptions): DeployTarget {
  const names = placeholders('');
  const namespace = fillPlaceholders(spec.namespace ?? options.namespace, { ...names });
  const name = fillPlaceholders(spec.deployment, { ...names });
  const container = fillPlaceholders(spec.container, { ...names });
  const timeoutMs = durationMs(spec.timeout);
  const pollMs = options.pollMs ?? 2_000;
  let client: Promise<{ apps: AppsV1Api; patch: (body: unknown, type: string) => Promise<V1Deployment> }> | undefined;
  const connect = () =>
    (client ??= (async () => {
      const k8s = await import('@kubernetes/client-node');
      const config: KubeConfig = new k8s.KubeConfig();
      const file = (options.env ?? process.env).KUBECONFIG?.split(':').find((part) => part !== '');
      if (file) config.loadFromFile(file);
      else config.loadFromDefault();
      if (spec.context !== null) config.setCurrentContext(spec.context);
      const apps = config.makeApiClient(k8s.AppsV1Api);
      const patch = (body: unknown, type: string) => apps.patchNamespacedDeployment({ name, namespace, body }, k8s.setHeaderOptions('Content-Type', type));
      return { apps, patch };
    })());
  const where = `${namespace}/deployment/${name}`;
  const read = async () => (await connect()).apps.readNamespacedDeployment({ name, namespace }).catch((error: unknown) => {
    throw new DeployEffectError(`cannot read ${where}: ${describe(error)}`);
  });
  const imageOf = (template: V1PodTemplateSpec | undefined) => template?.spec?.containers.find((c) => c.name === container)?.image;

  const waitForRollout = async (generation: number, signal?: AbortSignal): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const deployment = await read();
      const status = deployment.status ?? {};
      const wanted = deployment.spec?.replicas ?? 1;
      const stalled = status.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
      if ((status.observedGeneration ?? 0) >= generation) {
        if (stalled) throw new DeployEffectError(`${where}: rollout exceeded its progress deadline: ${stalled.message ?? ''}`);
        const updated = status.updatedReplicas ?? 0;
        if (updated >= wanted && (status.replicas ?? 0) <= updated && (status.availableReplicas ?? 0) >= updated) return `${where}: ${updated} of ${wanted} replicas updated and available`;
      }
      if (signal?.aborted) throw new DeployEffectError(`${where}: stopped while waiting for the rollout`);
      if (Date.now() > deadline) throw new DeployEffectError(`${where}: the rollout did not finish within ${spec.timeout}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };

  const setImage = async (version: string, signal?: AbortSignal) => {
    const image = placeholders(version).image;
    const { patch } = await connect();
    // A strategic merge patch keyed by container name, as `kubectl set image` sends.
    const patched = await patch({ spec: { template: { spec: { containers: [{ name: container, image }] } } } }, 'application/strategic-merge-patch+json').catch((error: unknown) => {
      throw new DeployEffectError(`cannot set the image of ${where}: ${describe(error)}`);
    });
    return `${image}; ${await waitForRollout(patched.metadata?.generation ?? 0, signal)}`;
  };

  return {
    description: `kubernetes ${where}`,
    async current() {
      const image = imageOf((await read()).spec?.template);
      return image === undefined ? null : versionFromText(image);
    },
    deploy: setImage,
    async rollback(version, signal) {
      // `kubectl rollout undo`: the newest earlier revision that ran this version gives back its whole pod template.
      const deployment = await read();
      const revision = await revisionWith(deployment, placeholders(version).image);
      if (revision === undefined) return `no revision of ${version} in the ReplicaSet history; set the image instead: ${await setImage(version, signal)}`;
      const template = structuredClone(revision.spec?.template ?? {});
      delete template.metadata?.labels?.['pod-template-hash'];
      const { patch } = await connect();
      const patched = await patch([{ op: 'replace', path: '/spec/template', value: template }], 'application/json-patch+json').catch((error: unknown) => {
        throw new DeployEffectError(`cannot undo ${where}: ${describe(error)}`);
      });
      return `undone to revision ${revision.metadata?.annotations?.[REVISION] ?? '?'} (${version}); ${await waitForRollout(patched.metadata?.generation ?? 0, signal)}`;
    },
  };

  async function revisionWith(deployment: V1Deployment, image: string): Promise<V1ReplicaSet | undefined> {
    const labels = deployment.spec?.selector.matchLabels ?? {};
    const selector = Object.entries(labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const { apps } = await connect();
    const list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }).catch((error: unknown) => {
      throw new DeployEffectError(`cannot list the ReplicaSets of ${where}: ${describe(error)}`);
    });
    const uid = deployment.metadata?.uid;
    const current = deployment.metadata?.annotations?.[REVISION];
    return list.items
      .filter((rs) => rs.metadata?.ownerReferences?.some((owner) => owner.kind === 'Deployment' && (uid === undefined || owner.uid === uid)))
      .filter((rs) => rs.metadata?.annotations?.[REVISION] !== current && imageOf(rs.spec?.template) === image)
      .sort((a, b) => Number(b.metadata?.annotations?.[REVISION] ?? 0) - Number(a.metadata?.annotations?.[REVISION] ?? 0))[0];
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: number }).code;
  const body = (error as { body?: unknown }).body;
  const message = typeof body === 'string' ? safeMessage(body) : (error as Error).message;
  return `${code === undefined ? '' : `HTTP ${code}: `}${message}`.slice(0, 300);
}

function safeMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    return body;
  }
}
