import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTarget } from '../src/deploy-targets/make-target.js';
import { DeployEffectError } from '../src/deploy-targets/types.js';
import { builtinPolicy } from '../src/policy/parse-policy.js';
import type { Policy } from '../src/policy/schema.js';
import { tempDir } from './helpers/run-cli.js';

/*
 * No cluster can run here, so the Kubernetes target talks to a stand-in API server: the few REST
 * endpoints @kubernetes/client-node calls for it (read and patch a Deployment, list its ReplicaSets),
 * with the JSON shapes of the Kubernetes API and a controller that rolls a change out over two reads.
 */

interface Template {
  metadata: { labels: Record<string, string> };
  spec: { containers: { name: string; image: string }[] };
}

class StandIn {
  generation = 1;
  observed = 1;
  revision = 1;
  template: Template = { metadata: { labels: { app: 'billing' } }, spec: { containers: [{ name: 'billing', image: 'registry.example/billing:1.0.0' }, { name: 'sidecar', image: 'envoy:1.29' }] } };
  replicaSets: { revision: number; template: Template }[] = [{ revision: 1, template: structuredClone(this.template) }];
  reads = 0;
  stall = false;
  patches: { type: string; body: unknown }[] = [];
  requests: string[] = [];

  deployment(read = true) {
    if (read) this.reads += 1;
    // The controller catches up on the second read after a change (a stalled rollout never completes).
    if (this.observed < this.generation && this.reads >= 2) this.observed = this.generation;
    const done = this.observed === this.generation && !this.stall;
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'billing', namespace: 'staging', uid: 'uid-1', generation: this.generation, annotations: { 'deployment.kubernetes.io/revision': String(this.revision) } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'billing' } }, template: this.template },
      status: {
        observedGeneration: this.observed,
        replicas: 3,
        updatedReplicas: done ? 3 : 1,
        availableReplicas: done ? 3 : 2,
        conditions: this.stall ? [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "billing-2" has timed out progressing.' }] : [],
      },
    };
  }

  change(template: Template) {
    this.template = template;
    this.generation += 1;
    this.revision += 1;
    this.reads = 0;
    this.replicaSets.push({ revision: this.revision, template: structuredClone(template) });
  }

  replicaSetList() {
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSetList',
      metadata: {},
      items: this.replicaSets.map((rs) => ({
        metadata: { name: `billing-${rs.revision}`, namespace: 'staging', annotations: { 'deployment.kubernetes.io/revision': String(rs.revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'billing', uid: 'uid-1' }] },
        spec: { replicas: 0, selector: { matchLabels: { app: 'billing' } }, template: { ...rs.template, metadata: { labels: { ...rs.template.metadata.labels, 'pod-template-hash': `h${rs.revision}` } } } },
      })),
    };
  }
}

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => resolve(text));
  });

describe('the kubernetes target against a stand-in Kubernetes API server, no cluster here', () => {
  let server: Server;
  let temp: { dir: string; cleanup: () => void };
  let cluster: StandIn;
  let kubeconfig: string;
  let policy: Policy;

  beforeAll(async () => {
    temp = tempDir('shipgate-k8s-');
    server = createServer(async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      cluster.requests.push(`${request.method} ${url.pathname}`);
      const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (url.pathname === '/apis/apps/v1/namespaces/staging/deployments/billing') {
        if (request.method === 'GET') return json(200, cluster.deployment());
        if (request.method === 'PATCH') {
          const type = (request.headers['content-type'] ?? '').split(';')[0] ?? '';
          const patch = JSON.parse(await body(request)) as unknown;
          cluster.patches.push({ type, body: patch });
          const next = structuredClone(cluster.template);
          if (type === 'application/strategic-merge-patch+json') {
            // Containers merge by name, as the API server does for this list.
            for (const container of (patch as { spec: { template: { spec: { containers: { name: string; image: string }[] } } } }).spec.template.spec.containers) {
              const found = next.spec.containers.find((c) => c.name === container.name);
              if (found) found.image = container.image;
            }
            cluster.change(next);
          } else if (type === 'application/json-patch+json') {
            const [op] = patch as { op: string; path: string; value: Template }[];
            if (op?.op !== 'replace' || op.path !== '/spec/template') return json(422, { kind: 'Status', message: 'unsupported patch' });
            cluster.change(op.value);
          } else return json(415, { kind: 'Status', message: `unsupported media type ${type}` });
          return json(200, cluster.deployment(false));
        }
      }
      if (url.pathname === '/apis/apps/v1/namespaces/staging/replicasets' && request.method === 'GET') {
        expect(url.searchParams.get('labelSelector')).toBe('app=billing');
        return json(200, cluster.replicaSetList());
      }
      json(404, { kind: 'Status', status: 'Failure', message: `no ${request.method} ${url.pathname}`, reason: 'NotFound', code: 404 });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    kubeconfig = path.join(temp.dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{ name: stand-in, cluster: { server: 'http://127.0.0.1:${port}', insecure-skip-tls-verify: true } }]
users: [{ name: tester, user: { token: not-a-secret } }]
contexts: [{ name: stand-in, context: { cluster: stand-in, user: tester, namespace: staging } }]
current-context: stand-in
`,
    );
    policy = builtinPolicy();
    policy.artifacts.image = 'registry.example/{name}';
    policy.environments.staging!.target = { type: 'kubernetes', namespace: null, deployment: '{name}', container: '{name}', context: null, timeout: '5s' };
  });
  beforeEach(() => {
    cluster = new StandIn();
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    temp.cleanup();
  });

  const target = () => makeTarget(policy, 'billing', 'staging', { cwd: temp.dir, env: { KUBECONFIG: kubeconfig }, pollMs: 10 });

  it('reads the running version from the container\'s image tag', async () => {
    expect(await target().current()).toBe('1.0.0');
  });

  it('sets the image as `kubectl set image` does and waits until the rollout is observed, updated and available', async () => {
    const line = await target().deploy('1.1.0');
    expect(cluster.patches).toEqual([{ type: 'application/strategic-merge-patch+json', body: { spec: { template: { spec: { containers: [{ name: 'billing', image: 'registry.example/billing:1.1.0' }] } } } } }]);
    expect(line).toContain('3 of 3 replicas updated and available');
    // It read the deployment until the controller had caught up, not just once.
    expect(cluster.requests.filter((request) => request === 'GET /apis/apps/v1/namespaces/staging/deployments/billing').length).toBeGreaterThanOrEqual(2);
    expect(cluster.template.spec.containers).toEqual([{ name: 'billing', image: 'registry.example/billing:1.1.0' }, { name: 'sidecar', image: 'envoy:1.29' }]);
    expect(await target().current()).toBe('1.1.0');
  });

  it('rolls back to the previous revision from the ReplicaSet history, as `kubectl rollout undo` does', async () => {
    await target().deploy('1.1.0');
    const line = await target().rollback('1.0.0');
    expect(line).toContain('undone to revision 1 (1.0.0)');
    const last = cluster.patches.at(-1) as { type: string; body: { value: Template }[] };
    expect(last.type).toBe('application/json-patch+json');
    // The whole pod template comes back, without the ReplicaSet's own hash label.
    expect(last.body[0]?.value.metadata.labels).toEqual({ app: 'billing' });
    expect(await target().current()).toBe('1.0.0');
  });

  it('sets the older image when no revision in the history ran it', async () => {
    const line = await target().rollback('0.9.0');
    expect(line).toContain('no revision of 0.9.0 in the ReplicaSet history');
    expect(await target().current()).toBe('0.9.0');
  });

  it('fails the deploy when the rollout exceeds its progress deadline', async () => {
    cluster.stall = true;
    const failed = await target().deploy('1.1.0').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DeployEffectError);
    expect((failed as Error).message).toContain('rollout exceeded its progress deadline: ReplicaSet "billing-2" has timed out progressing.');
  });
});
