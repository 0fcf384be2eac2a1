import type { CallRun } from '../pipeline/call.ts';
import { hashKey } from '../kernel/rng.ts';
import type { RunCheckpoints } from './recovery/checkpoint.ts';
import type { DeadLetterQueue } from './recovery/dlq.ts';
import type { CaseSpec } from '../scenario/types.ts';

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
  /** Each case's expected answer as JSON, made once per run and case. */
  readonly expectedJson: ExpectedJson;
  /** The name of every workflow's root span: `invoke_workflow {scenario}`. */
  readonly rootSpanName: string;
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

/**
 * Memoises each case's expected answer as JSON: the root span's `patternbench.expected` and the
 * row's `expected`. Made once per case rather than once per workflow (a `JSON.stringify` costs
 * ~150 ns a property on Node 20, and the string was held by every workflow in flight). Holds one
 * string per case the run has started, as the run holds its cases.
 */
export class ExpectedJson {
  readonly #cache = new Map<CaseSpec, string>();

  of(caseSpec: CaseSpec): string {
    let json = this.#cache.get(caseSpec);
    if (json === undefined) {
      json = JSON.stringify(caseSpec.expected);
      this.#cache.set(caseSpec, json);
    }
    return json;
  }
}
