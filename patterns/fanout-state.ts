/** How parallel workers' writes to the same shared field are handled. */
export const SHARED_STATE_MODES = ['last-write-wins', 'optimistic', 'partitioned'] as const;
export type SharedStateMode = (typeof SHARED_STATE_MODES)[number];

/** Versions of the fields a worker read, taken when it started. */
export type StateSnapshot = ReadonlyMap<string, number>;

/** What one write did. `conflict`: an optimistic version check failed and nothing was written. */
export type WriteResult = { readonly status: 'written' } | { readonly status: 'conflict' };

/** Counts of one workflow's shared-state writes. */
export interface SharedStateCounts {
  /** Field writes applied. */
  readonly writes: number;
  /** `last-write-wins`: writes that overwrote a value the writer never saw (an update lost). */
  readonly lostUpdates: number;
  /** `optimistic`: writes refused because a field changed since the writer read it. */
  readonly conflicts: number;
  /** `partitioned`: writes to a field the writer does not own, refused. */
  readonly rejected: number;
}

/**
 * The shared state parallel workers of one fan-out write to: one version counter per field, no
 * clock. A worker takes a `snapshot` when it starts and `write`s its fields when it finishes.
 * - `last-write-wins`: every write lands; a field whose version moved since the writer's snapshot
 *   had an update the writer overwrote unseen — counted as a lost update.
 * - `optimistic`: the write is checked against the snapshot; if any field moved, nothing is
 *   written and the caller may re-read and retry (counted as a conflict).
 * - `partitioned`: each field has one owner (the first worker listing it); a write by anyone
 *   else is rejected (counted) and the owner's writes land.
 */
export class SharedState {
  readonly #versions = new Map<string, number>();
  #writes = 0;
  #lostUpdates = 0;
  #conflicts = 0;
  #rejected = 0;

  constructor(
    readonly mode: SharedStateMode,
    /** Field → owning worker (used by `partitioned`). */
    private readonly owners: ReadonlyMap<string, string>,
  ) {}

  /** Current versions of `fields`. */
  snapshot(fields: readonly string[]): StateSnapshot {
    return new Map(fields.map((field) => [field, this.#versions.get(field) ?? 0]));
  }

  /** `worker` writes `fields`, having read them at `snapshot`. */
  write(worker: string, fields: readonly string[], snapshot: StateSnapshot): WriteResult {
    if (this.mode === 'optimistic') {
      const moved = fields.some((field) => (this.#versions.get(field) ?? 0) !== (snapshot.get(field) ?? 0));
      if (moved) {
        this.#conflicts++;
        return { status: 'conflict' };
      }
    }
    for (const field of fields) {
      if (this.mode === 'partitioned' && this.owners.get(field) !== worker) {
        this.#rejected++;
        continue;
      }
      const version = this.#versions.get(field) ?? 0;
      if (this.mode === 'last-write-wins' && version !== (snapshot.get(field) ?? 0)) this.#lostUpdates++;
      this.#versions.set(field, version + 1);
      this.#writes++;
    }
    return { status: 'written' };
  }

  counts(): SharedStateCounts {
    return { writes: this.#writes, lostUpdates: this.#lostUpdates, conflicts: this.#conflicts, rejected: this.#rejected };
  }
}

/** Field → owner: the first worker (in `workers` order) that lists the field. Pure. */
export function fieldOwners(workers: readonly string[], writes: Readonly<Record<string, readonly string[]>>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const worker of workers) for (const field of writes[worker] ?? []) if (!owners.has(field)) owners.set(field, worker);
  return owners;
}
