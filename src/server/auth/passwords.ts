import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto, no native add-on). Production cost
 * N = 2^17, r = 8, p = 1 with a 32-byte salt (OWASP password storage guidance).
 * The parameters are stored with the hash, so a hash made at another cost
 * still verifies. Format: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
export const PRODUCTION_SCRYPT_LOG2N = 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 32;

/** scrypt needs 128·N·r bytes; node's default maxmem (32 MiB) is too small at N = 2^17. */
export function scryptOptions(log2n: number, r: number, p: number): ScryptOptions {
  const N = 2 ** log2n;
  return { N, r, p, maxmem: Math.max(256 * 1024 * 1024, 256 * N * r) };
}

function derive(password: string, salt: Buffer, log2n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, scryptOptions(log2n, r, p), (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, log2n = PRODUCTION_SCRYPT_LOG2N): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, log2n, R, P);
  return `scrypt$${log2n}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export interface StoredHash {
  readonly log2n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** The parts of a stored hash; undefined when it is not in the format above or its N is above 2^22. */
export function parseStoredHash(stored: string): StoredHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [log2n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![log2n, r, p].every((x) => Number.isInteger(x) && x > 0) || log2n > 22) return undefined;
  return { log2n, r, p, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.log2n, parsed.r, parsed.p);
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/** Minimum password policy: length is what matters (NIST SP 800-63B §5.1.1). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
