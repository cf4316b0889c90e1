/**
 * A bound on password hashing. Each scrypt at production cost holds 128 MiB and a
 * libuv thread for a few hundred milliseconds; unbounded, ~60 parallel login attempts
 * made a real login wait 25 s and grew the server by 500 MB (issue 9). At most
 * `concurrency` hashes run and `queueLength` wait; anything beyond is refused at once
 * (the caller answers 503 with Retry-After) instead of queueing without limit.
 * Only logins go through the pool: health checks and token-authenticated calls never
 * hash a password, so they are not slowed by it.
 */
export class HashPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLength: number,
  ) {
    if (!(concurrency >= 1 && queueLength >= 0)) throw new Error('HashPool needs concurrency ≥ 1 and queueLength ≥ 0');
  }

  /** Runs `work` in a slot; undefined (synchronously) when every slot and queue place is taken. */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.concurrency && this.waiting.length >= this.queueLength) return undefined;
    return this.acquire().then(async () => {
      try {
        return await work();
      } finally {
        this.release();
      }
    });
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
