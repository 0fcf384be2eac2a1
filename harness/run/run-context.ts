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
  /** The row key of each fact attribute a workflow records, made once per run. */
  readonly factKeys: FactKeys;
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

/** Pattern facts are root-span attributes `patternbench.<pattern>.<fact>`; rows keep `<pattern>.<fact>`. */
const FACT_PREFIX = 'patternbench.';

/**
 * Memoises the key a fact attribute has in the workflow row's facts (`FACT_PREFIX` cut off): a
 * string cut afresh for every fact of every workflow, then used as a property name, cost ~0.25 µs
 * (measured, Node 20). The keys are the scenario's finite set of fact names.
 */
export class FactKeys {
  readonly #cache = new Map<string, string>();

  of(key: string): string {
    let factKey = this.#cache.get(key);
    if (factKey === undefined) {
      factKey = key.startsWith(FACT_PREFIX) ? key.slice(FACT_PREFIX.length) : key;
      this.#cache.set(key, factKey);
    }
    return factKey;
  }
}
