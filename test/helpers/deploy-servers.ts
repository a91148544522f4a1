import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** A port nothing listens on now (the OS picks it), for a server the test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RealServer {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, what: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited: ${log()}`);
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not start: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

/** Debian's Prometheus on 127.0.0.1, scraping `targets` (environment -> host:port) every second. */
export async function startPrometheus(dir: string, targets: Readonly<Record<string, string>>): Promise<RealServer> {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const jobs = Object.entries(targets).map(([environment, address]) => `  - job_name: ${environment}\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['${address}']\n`);
  writeFileSync(path.join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs.join('')}`);
  const port = await freePort();
  let log = '';
  const child = spawn('/usr/bin/prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/-/ready`, child, 'prometheus', () => log);
  return { url, child, stop: stopper(child) };
}

/** Debian's docker-registry (distribution v2) on 127.0.0.1, storing in `dir`. */
export async function startRegistry(dir: string): Promise<RealServer & { host: string }> {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const port = await freePort();
  writeFileSync(path.join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  let log = '';
  const child = spawn('/usr/bin/docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/v2/`, child, 'docker-registry', () => log);
  return { url, host: `127.0.0.1:${port}`, child, stop: stopper(child) };
}

const sha = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

async function uploadBlob(registry: string, repository: string, body: Buffer): Promise<string> {
  const digest = sha(body);
  const started = await fetch(`${registry}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (started.status !== 202) throw new Error(`blob upload refused: ${started.status}`);
  const location = new URL(started.headers.get('location') ?? '', registry);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body });
  if (put.status !== 201) throw new Error(`blob upload failed: ${put.status} ${await put.text()}`);
  return digest;
}

/**
 * Pushes a tiny OCI image (a config blob, one layer blob, the manifest) under `tag`, with the
 * distribution API alone, as CI's `docker push` would. Returns the manifest's digest.
 */
export async function pushTinyImage(registry: string, repository: string, tag: string): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: { Labels: { version: tag } } }));
  const layer = Buffer.from(`layer of ${tag}\n`);
  const configDigest = await uploadBlob(registry, repository, config);
  const layerDigest = await uploadBlob(registry, repository, layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
  const put = await fetch(`${registry}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
  if (put.status !== 201) throw new Error(`manifest push failed: ${put.status} ${await put.text()}`);
  return sha(manifest);
}

/** The digest a tag points at in the registry, or null. */
export async function tagDigest(registry: string, repository: string, tag: string): Promise<string | null> {
  const response = await fetch(`${registry}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  return response.status === 200 ? response.headers.get('docker-content-digest') : null;
}
