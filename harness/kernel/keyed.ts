/** Objects of a run created on first use, one per key (breakers per agent, budgets per workflow). */
export class Keyed<K, V> {
  readonly #values = new Map<K, V>();

  get(key: K, create: () => V): V {
    let value = this.#values.get(key);
    if (value === undefined) {
      value = create();
      this.#values.set(key, value);
    }
    return value;
  }

  /** Forgets `key` (a finished workflow's state). */
  delete(key: K): void {
    this.#values.delete(key);
  }
}

/** `items` grouped by `keyOf`: groups in the order their keys first appear, each in `items`' order. */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
