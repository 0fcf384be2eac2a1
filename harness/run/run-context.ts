import type { CallRun } from '../pipeline/call.ts';
import { hashKey } from '../kernel/rng.ts';
import type { RunCheckpoints } from './recovery/checkpoint.ts';
import type { DeadLetterQueue } from './recovery/dlq.ts';

/**
 * Everything one run (one cell of the matrix) shares: owned by the runner, never global. What the
 * pipeline, governance and agents see of it is `CallRun` (harness/pipeline/call.ts).
 */
export interface RunContext extends CallRun {
  /** The run's dead-letter queue (rows of `dead_letters`). */
  readonly deadLetters: DeadLetterQueue;
  /** Saves a checkpoint per completed agent call; absent = none. */
  readonly checkpoints?: RunCheckpoints;
  /** Cached string hashes for stream derivation. */
  readonly keys: KeyHashes;
}

/** Memoises `hashKey` so that the hot path derives streams with integer mixing only. */
export class KeyHashes {
  readonly #cache = new Map<string, number>();

  of(key: string): number {
    let hash = this.#cache.get(key);
    if (hash === undefined) {
      hash = hashKey(key);
      this.#cache.set(key, hash);
    }
    return hash;
  }
}
