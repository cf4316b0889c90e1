/** Every memo of the engine (module-level singletons, so a set that only grows by a handful). */
const MEMOS = new Set<BoundedMemo<unknown, unknown>>();

/**
 * A bounded memo for pure functions of a small key: results are computed once
 * per key and kept, up to `limit` keys (then the oldest key is dropped), so
 * memory stays bounded whatever the input. Cached values must be immutable
 * (deep-frozen), since every caller gets the same object.
 */
export class BoundedMemo<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
    MEMOS.add(this);
  }

  clear(): void {
    this.#entries.clear();
  }

  get(key: K, compute: (key: K) => V): V {
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    if (this.#entries.size >= this.#limit) this.#entries.delete(this.#entries.keys().next().value as K);
    this.#entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}


/**
 * Empties every memo. For tests: a memo filled by earlier code (another test, or mutation testing's
 * earlier mutant in the same process) must not answer for the code under test, and a memo-key test
 * compares a memoised answer with one computed afresh.
 */
export function clearMemos(): void {
  for (const memo of MEMOS) memo.clear();
}
