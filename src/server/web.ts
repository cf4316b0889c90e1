import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the web app's build lands (`web/dist`, built by the web app's own scripts). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Paths that are never the web app: unknown ones get a JSON 404, not index.html. */
export const NON_SPA_PREFIXES = ['/api/', '/api', '/fhir', '/cds-services'];

export function hasWebApp(root: string | null): root is string {
  return root !== null && existsSync(join(root, 'index.html'));
}

/** Vite names every built asset under assets/ with a hash of its content: a changed file is a new URL. */
export const IMMUTABLE_PREFIX = '/assets/';
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Cache policy by file: hashed assets may be cached for a year without asking again; anything
 * else (index.html, which names the current assets) must be revalidated on every load.
 */
function cacheHeaders(root: string) {
  const assets = join(root, IMMUTABLE_PREFIX);
  return (res: { setHeader(name: string, value: string): unknown }, path: string) => {
    res.setHeader('cache-control', path.startsWith(assets) ? IMMUTABLE_CACHE_CONTROL : 'no-cache');
    // The same URL has several encodings (scripts/compress-web.mjs writes .br and .gz beside each file).
    res.setHeader('vary', 'Accept-Encoding');
  };
}

/**
 * Serves the built web app at `/`; unknown non-API paths fall back to index.html (client-side
 * routing). Files are sent pre-compressed when the build wrote `<file>.br` / `<file>.gz` and the
 * client accepts that encoding (brotli first), else as they are.
 */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: 'index.html',
    wildcard: true,
    preCompressed: true,
    cacheControl: false,
    setHeaders: cacheHeaders(root),
  });
}

export function isSpaPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return !NON_SPA_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}
