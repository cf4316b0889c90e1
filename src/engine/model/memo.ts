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
