/**
 * A `Map` that cannot change after construction: `set`, `delete` and `clear` throw a `TypeError`,
 * and the instance itself is frozen. `Object.freeze` alone cannot stop `Map.prototype.set`, so
 * compiled scenarios hold their maps in this class. It stays a `Map` (`instanceof Map`, iteration
 * order, `new Map(frozen)`) so code that serialises or copies maps keeps working.
 */
export class FrozenMap<K, V> extends Map<K, V> implements ReadonlyMap<K, V> {
  #sealed = false;

  /** Copies `entries` (in order). */
  constructor(entries: Iterable<readonly [K, V]> = []) {
    super();
    for (const [key, value] of entries) super.set(key, value);
    this.#sealed = true;
    Object.freeze(this);
  }

  /** Throws: a frozen map cannot change. */
  override set(key: K, value: V): this {
    if (this.#sealed) throw new TypeError('cannot set a key of a frozen map');
    return super.set(key, value);
  }

  /** Throws: a frozen map cannot change. */
  override delete(_key: K): boolean {
    throw new TypeError('cannot delete a key of a frozen map');
  }

  /** Throws: a frozen map cannot change. */
  override clear(): void {
    throw new TypeError('cannot clear a frozen map');
  }
}

/**
 * Freezes `value` and everything reachable from it (plain objects, arrays, and the keys and values
 * of `FrozenMap`s). Returns `value`. Cycles are safe.
 */
export function deepFreeze<T>(value: T): T {
  freezeInto(value, new Set());
  return value;
}

function freezeInto(value: unknown, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof FrozenMap) {
    for (const [key, entry] of value) {
      freezeInto(key, seen);
      freezeInto(entry, seen);
    }
    return;
  }
  for (const entry of Object.values(value)) freezeInto(entry, seen);
  Object.freeze(value);
}
