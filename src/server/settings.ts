import { PRODUCTION_SCRYPT_LOG2N } from './auth/passwords.ts';

/** Tunables the routes read; `createServer` fills them from its options. */
export interface ServerSettings {
  /** log2 of scrypt's N for passwords set through the API (17 in production). */
  readonly scryptLog2N: number;
  readonly sessionTtlMinutes: number;
  /**
   * Per client address, on POST /api/session: login attempts not redeemed by a success,
   * per window — counted in the database, so shared by every instance.
   */
  readonly loginRateLimit: { readonly max: number; readonly timeWindowMs: number };
  /** Consecutive failures for a username before each further attempt waits (1 s, 2 s, 4 s … ≤ 15 min). */
  readonly loginFailuresBeforeBackoff: number;
  /** The first wait of the back-off, doubled with each further failure (≤ 15 min). */
  readonly loginBackoffBaseSeconds: number;
  /** An address a user logged in from within this many days has its own failure count for that user. */
  readonly loginKnownAddressDays: number;
  /** Password hashes (scrypt) run at once for logins, and how many more may wait; beyond that 503. */
  readonly hashConcurrency: number;
  readonly hashQueueLength: number;
  /** Calls refused for want of credentials per client address and minute before further ones get 429. */
  readonly refusedCallsPerMinute: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  scryptLog2N: PRODUCTION_SCRYPT_LOG2N,
  sessionTtlMinutes: 12 * 60,
  loginRateLimit: { max: 20, timeWindowMs: 60_000 },
  loginFailuresBeforeBackoff: 3,
  loginBackoffBaseSeconds: 1,
  loginKnownAddressDays: 30,
  // Two at 128 MiB each: the memory of a login burst is bounded; eight more wait ≤ ~1.5 s.
  hashConcurrency: 2,
  hashQueueLength: 8,
  refusedCallsPerMinute: 120,
};
