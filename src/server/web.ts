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

/** Serves the built web app at `/`; unknown non-API paths fall back to index.html (client-side routing). */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, prefix: '/', index: 'index.html', wildcard: true });
}

export function isSpaPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return !NON_SPA_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}
