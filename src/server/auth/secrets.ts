import { createHash, randomBytes } from 'node:crypto';

/** A new random secret (API token or session id): 32 bytes, URL-safe. Shown once, never stored. */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of a token or session id. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export const TOKEN_PREFIX = 'rp_';
