import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ServerEnv } from '../env.js';

/**
 * Shipped in the package (package.json "files"): no build step on the user's side, no CDN. This file
 * runs from dist/server/dashboard/ (or src/), or from the CLI's bundle in dist/bundle/, one level higher.
 */
const ASSETS_DIR = fileURLToPath(['../../assets/', '../../../assets/'].map((dir) => new URL(dir, import.meta.url)).find((url) => existsSync(url)) ?? new URL('../../../assets/', import.meta.url));
const TYPES: Readonly<Record<string, string>> = { 'dashboard.css': 'text/css; charset=utf-8', 'dashboard.js': 'text/javascript; charset=utf-8' };

/** /assets/<file> for the few files listed, read once; nothing else in the directory is served. */
export function assetRoutes(app: OpenAPIHono<ServerEnv>): void {
  const cache = new Map<string, { body: string; etag: string }>();
  app.get('/assets/:file', (c) => {
    const file = c.req.param('file');
    const type = Object.hasOwn(TYPES, file) ? TYPES[file] : undefined;
    if (type === undefined) return c.text('not found', 404);
    let asset = cache.get(file);
    if (asset === undefined) {
      const body = readFileSync(`${ASSETS_DIR}${file}`, 'utf8');
      asset = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
      cache.set(file, asset);
    }
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    return c.body(asset.body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ETag: asset.etag });
  });
}
