import { ShipgateError } from '../errors/shipgate-error.js';

export interface ImageReference {
  /** host[:port] as the distribution API is reached. */
  readonly registry: string;
  readonly repository: string;
}

/** `ghcr.io/7d-solutions/billing`, `127.0.0.1:5000/billing`, `billing` (Docker Hub's library/billing). */
export function parseImage(image: string): ImageReference {
  const withoutTag = image.replace(/@sha256:[0-9a-f]+$/, '');
  const parts = withoutTag.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasHost ? first : 'registry-1.docker.io';
  const path = hasHost ? parts.slice(1) : parts.length === 1 ? ['library', ...parts] : parts;
  const repository = path.join('/');
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) {
    throw new ShipgateError('EIMAGE', `"${image}" is not an image repository`, { category: 'input', hint: 'artifacts.image is a reference without a tag, e.g. ghcr.io/org/{name}' });
  }
  return { registry: registry === 'docker.io' ? 'registry-1.docker.io' : registry, repository };
}

/** Loopback registries speak plain HTTP, as Docker treats them; every other one HTTPS. */
export function registryBaseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const plain = host === 'localhost' || host === '::1' || /^127\./.test(host);
  return `${plain ? 'http' : 'https'}://${registry}`;
}
