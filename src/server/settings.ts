import { PRODUCTION_SCRYPT_LOG2N } from './auth/passwords.ts';

/** Tunables the routes read; `createServer` fills them from its options. */
export interface ServerSettings {
  /** log2 of scrypt's N for passwords set through the API (17 in production). */
  readonly scryptLog2N: number;
  readonly sessionTtlMinutes: number;
  /** Per client address, on POST /api/session. */
  readonly loginRateLimit: { readonly max: number; readonly timeWindowMs: number };
  /** Consecutive failures for a username before each further attempt waits (1 s, 2 s, 4 s … ≤ 15 min). */
  readonly loginFailuresBeforeBackoff: number;
  /** Calls refused for want of credentials per client address and minute before further ones get 429. */
  readonly refusedCallsPerMinute: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  scryptLog2N: PRODUCTION_SCRYPT_LOG2N,
  sessionTtlMinutes: 12 * 60,
  loginRateLimit: { max: 20, timeWindowMs: 60_000 },
  loginFailuresBeforeBackoff: 3,
  refusedCallsPerMinute: 120,
};

const MAX_BACKOFF_SECONDS = 15 * 60;

/** Seconds the next login for a username must wait after `failures` consecutive failures. */
export function backoffSeconds(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** (failures - threshold));
}
