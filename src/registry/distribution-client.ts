import { createHash } from 'node:crypto';
import { ShipgateError } from '../errors/shipgate-error.js';
import { registryBaseUrl, type ImageReference } from './image-reference.js';

/** Every manifest type a tag may point at: an image or a multi-platform index, OCI or Docker. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

export interface Manifest {
  readonly mediaType: string;
  /** The bytes exactly as stored: re-encoding them would change the digest. */
  readonly body: Buffer;
  readonly digest: string;
}

export interface RegistryCredentials {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

/**
 * The few calls of the OCI distribution API that promotion needs: list tags, read a manifest by tag,
 * put it under another tag (the registry already has its layers, so nothing else moves). Answers a
 * Bearer challenge with a token for the repository (anonymous, or with the credentials), or Basic.
 */
export class DistributionClient {
  readonly #base: string;
  readonly #image: ImageReference;
  readonly #credentials: RegistryCredentials;
  #authorization: string | undefined;

  constructor(image: ImageReference, credentials: RegistryCredentials = {}) {
    this.#image = image;
    this.#base = registryBaseUrl(image.registry);
    this.#credentials = credentials;
  }

  /** Every tag of the repository (following the Link pages); none when the repository does not exist yet. */
  async listTags(): Promise<string[]> {
    const tags: string[] = [];
    let next: string | null = `/v2/${this.#image.repository}/tags/list?n=1000`;
    while (next !== null) {
      const response = await this.#request('GET', next, {});
      if (response.status === 404) return tags;
      await this.#expect(response, [200], 'list the tags of');
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const link = response.headers.get('link');
      next = link === null ? null : (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null);
    }
    return tags;
  }

  /** The manifest a tag points at, or undefined when there is no such tag. */
  async getManifest(reference: string): Promise<Manifest | undefined> {
    const response = await this.#request('GET', `/v2/${this.#image.repository}/manifests/${encodeURIComponent(reference)}`, { accept: MANIFEST_TYPES.join(', ') });
    if (response.status === 404) return undefined;
    await this.#expect(response, [200], `read ${reference} of`);
    const body = Buffer.from(await response.arrayBuffer());
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() || mediaTypeOf(body);
    return { mediaType, body, digest: response.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}` };
  }

  /** Points `tag` at the manifest (creating or moving it). */
  async putManifest(tag: string, manifest: Manifest): Promise<void> {
    const response = await this.#request('PUT', `/v2/${this.#image.repository}/manifests/${encodeURIComponent(tag)}`, { 'content-type': manifest.mediaType }, manifest.body);
    await this.#expect(response, [200, 201], `tag ${tag} in`);
  }

  async #request(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
    const send = () =>
      fetch(`${this.#base}${path}`, {
        method,
        headers: { ...headers, ...(this.#authorization ? { authorization: this.#authorization } : {}) },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(30_000),
      });
    let response: Response;
    try {
      response = await send();
      if (response.status === 401 && (await this.#authenticate(response))) response = await send();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new ShipgateError('EREGISTRY', `the registry ${this.#image.registry} did not answer (${cause ?? (error as Error).message})`, { category: 'unavailable', hint: 'check that it runs and that artifacts.image names it' });
    }
    return response;
  }

  async #authenticate(challenge: Response): Promise<boolean> {
    await challenge.body?.cancel().catch(() => undefined);
    const header = challenge.headers.get('www-authenticate') ?? '';
    const { username, password } = this.#credentials;
    const basic = username !== undefined && password !== undefined ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined;
    if (/^basic/i.test(header)) {
      if (basic === undefined || this.#authorization === basic) return false;
      this.#authorization = basic;
      return true;
    }
    const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!/^bearer/i.test(header) || params['realm'] === undefined || this.#authorization?.startsWith('Bearer ')) return false;
    const url = new URL(params['realm']);
    if (params['service']) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', `repository:${this.#image.repository}:pull,push`);
    const response = await fetch(url, { headers: basic ? { authorization: basic } : {}, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) return false;
    const token = (await response.json()) as { token?: string; access_token?: string };
    const value = token.token ?? token.access_token;
    if (!value) return false;
    this.#authorization = `Bearer ${value}`;
    return true;
  }

  async #expect(response: Response, statuses: readonly number[], what: string): Promise<void> {
    if (statuses.includes(response.status)) return;
    const text = await response.text().catch(() => '');
    const detail = safeError(text);
    const auth = response.status === 401 || response.status === 403;
    throw new ShipgateError('EREGISTRY', `cannot ${what} ${this.#image.registry}/${this.#image.repository}: HTTP ${response.status}${detail ? `: ${detail}` : ''}`, {
      category: auth ? 'forbidden' : 'unavailable',
      hint: auth ? 'set SHIPGATE_REGISTRY_USERNAME and SHIPGATE_REGISTRY_PASSWORD (a token with push rights)' : 'check the registry and artifacts.image',
    });
  }
}

function mediaTypeOf(body: Buffer): string {
  try {
    return (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType ?? MANIFEST_TYPES[0];
  } catch {
    return MANIFEST_TYPES[0];
  }
}

function safeError(text: string): string {
  try {
    const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
    return errors.map((error) => `${error.code ?? ''} ${error.message ?? ''}`.trim()).join('; ').slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
