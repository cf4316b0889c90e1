import type { CounterDecision, LoginCounter, Repository } from '../../store/index.ts';

/**
 * Login throttling, decided in the database so that parallel requests and every
 * server instance on the database see the same counts (issue 9).
 *
 * Each attempt is counted as a failure BEFORE its password is checked (one atomic
 * compare-and-set per counter); only a correct password takes it back. So 19 wrong
 * passwords sent at once are numbered 1…19 by the database and those past the
 * threshold are refused with 429 without any hashing.
 *
 * Counters:
 * - per client address: at most `addressMax` unredeemed attempts per window;
 * - per user, with exponential back-off after `failuresBeforeBackoff` failures. An
 *   address the user logged in from successfully in the last `knownAddressDays` days has
 *   a counter of its own for that user: failures from elsewhere (someone who only knows
 *   the username) never lock the user out of an address they have used before.
 */

export interface LoginLimits {
  readonly failuresBeforeBackoff: number;
  readonly backoffBaseSeconds: number;
  readonly addressMax: number;
  readonly addressWindowMs: number;
  readonly knownAddressDays: number;
}

const MAX_BACKOFF_SECONDS = 15 * 60;
/** A per-user count starts again after a day without failures. */
const FAILURE_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Counters untouched this long are deleted. */
const PURGE_AFTER_MS = 2 * FAILURE_MEMORY_MS;
const PURGE_EVERY_ATTEMPTS = 500;

/** Seconds the next login must wait after `failures` consecutive failures: base, 2·base, 4·base … ≤ 15 min from the threshold on. */
export function backoffSeconds(failures: number, threshold: number, baseSeconds = 1): number {
  if (failures < threshold) return 0;
  return Math.min(MAX_BACKOFF_SECONDS, baseSeconds * 2 ** (failures - threshold));
}

const secondsUntil = (iso: string, now: number) => Math.max(1, Math.ceil((Date.parse(iso) - now) / 1000));

/** Per-user rule: refused while blocked; otherwise one more (presumed) failure, blocked for the back-off it earns. */
export function backoffDecision(current: LoginCounter | undefined, now: number, threshold: number, baseSeconds = 1): CounterDecision {
  if (current?.blockedUntil && Date.parse(current.blockedUntil) > now) return { refuse: { retryAfterSeconds: secondsUntil(current.blockedUntil, now) } };
  const fresh = !current || now - Date.parse(current.windowStart) > FAILURE_MEMORY_MS;
  const count = fresh ? 1 : current.count + 1;
  const wait = backoffSeconds(count, threshold, baseSeconds);
  const nowIso = new Date(now).toISOString();
  return { next: { count, windowStart: fresh ? nowIso : current.windowStart, blockedUntil: wait > 0 ? new Date(now + wait * 1000).toISOString() : null } };
}

/** Per-address rule: a fixed window of `max` attempts. */
export function windowDecision(current: LoginCounter | undefined, now: number, max: number, windowMs: number): CounterDecision {
  if (!current || now - Date.parse(current.windowStart) >= windowMs) return { next: { count: 1, windowStart: new Date(now).toISOString(), blockedUntil: null } };
  if (current.count >= max) return { refuse: { retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(current.windowStart) + windowMs - now) / 1000)) } };
  return { next: { count: current.count + 1, windowStart: current.windowStart, blockedUntil: null } };
}

/** Takes one presumed failure back (the attempt was never judged, or it succeeded). */
function refundDecision(current: LoginCounter | undefined, threshold: number): CounterDecision {
  if (!current || current.count === 0) return { refuse: { retryAfterSeconds: 0 } };
  const count = current.count - 1;
  return { next: { count, windowStart: current.windowStart, blockedUntil: count >= threshold ? current.blockedUntil : null } };
}

export interface LoginAttempt {
  /** The password was right: the user's count is cleared, the address's attempt given back, the address remembered. */
  succeeded(): Promise<void>;
  /** The password was never checked (server busy): both attempts are given back. */
  cancelled(): Promise<void>;
}

export type Admission = { ok: true; attempt: LoginAttempt } | { ok: false; scope: 'address' | 'user'; retryAfterSeconds: number };

export class LoginThrottle {
  private attempts = 0;

  constructor(
    private readonly repo: Repository,
    private readonly limits: LoginLimits,
  ) {}

  addressKey(address: string): string {
    return `addr:${address}`;
  }

  async userKey(username: string, address: string, now: number): Promise<string> {
    const since = new Date(now - this.limits.knownAddressDays * 86_400_000).toISOString();
    return (await this.repo.hasLoginSuccessSince(username, address, since)) ? `user:${username}|from:${address}` : `user:${username}`;
  }

  /** Counts the attempt against the address and the user before any password is checked. */
  async admit(username: string, address: string, now = Date.now()): Promise<Admission> {
    const nowIso = new Date(now).toISOString();
    if (++this.attempts % PURGE_EVERY_ATTEMPTS === 0) await this.repo.purgeLoginCounters(new Date(now - PURGE_AFTER_MS).toISOString());
    const addressKey = this.addressKey(address);
    const byAddress = await this.repo.updateLoginCounter(addressKey, nowIso, (c) => windowDecision(c, now, this.limits.addressMax, this.limits.addressWindowMs));
    if ('refuse' in byAddress) return { ok: false, scope: 'address', retryAfterSeconds: byAddress.refuse.retryAfterSeconds };
    const userKey = await this.userKey(username, address, now);
    const threshold = this.limits.failuresBeforeBackoff;
    const byUser = await this.repo.updateLoginCounter(userKey, nowIso, (c) => backoffDecision(c, now, threshold, this.limits.backoffBaseSeconds));
    if ('refuse' in byUser) return { ok: false, scope: 'user', retryAfterSeconds: byUser.refuse.retryAfterSeconds };
    const giveBackAddress = () => this.repo.updateLoginCounter(addressKey, new Date().toISOString(), (c) => refundDecision(c, Number.POSITIVE_INFINITY));
    return {
      ok: true,
      attempt: {
        succeeded: async () => {
          await this.repo.clearLoginCounter(userKey);
          await giveBackAddress();
          await this.repo.recordLoginSuccess(username, address, new Date().toISOString());
        },
        cancelled: async () => {
          await this.repo.updateLoginCounter(userKey, new Date().toISOString(), (c) => refundDecision(c, threshold));
          await giveBackAddress();
        },
      },
    };
  }
}
