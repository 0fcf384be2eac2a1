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
