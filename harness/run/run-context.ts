import type { Agent } from '../pipeline/call.ts';
import type { AuditTrail } from '../governance/audit.ts';
import type { RunPrivacy } from '../governance/pii.ts';
import type { RunCheckpoints } from './recovery/checkpoint.ts';
import type { Clock } from '../kernel/clock.ts';
import type { DeadLetterQueue } from './recovery/dlq.ts';
import type { Terminal } from '../pipeline/pipeline.ts';
import { hashKey } from '../kernel/rng.ts';
import type { RunBudget } from '../pipeline/budget.ts';
import type { CircuitBreaker } from '../pipeline/circuit-breaker.ts';
import type { Keyed } from '../kernel/keyed.ts';
import type { RunEvents } from './run-events.ts';
import type { RunResources } from './run-resources.ts';
import type { CompiledScenario, PatternName } from '../scenario/types.ts';
import type { RunTracer } from '../kernel/tracer.ts';
import type { RecordSink } from '../../reports/store/sink.ts';

/** Everything one run (one cell of the matrix) shares: owned by the runner, never global. */
export interface RunContext {
  readonly runId: string;
  readonly scenario: CompiledScenario;
  readonly pattern: PatternName;
  readonly variant: string;
  /** The run's seed; every random stream is derived from it. */
  readonly seed: number;
  readonly clock: Clock;
  readonly tracer: RunTracer;
  /** Agents by name (simulated or real). */
  readonly agents: ReadonlyMap<string, Agent>;
  /** The call pipeline: interceptors composed around the agents. */
  readonly pipeline: Terminal;
  /** Shared resources: provider rate limits and agent concurrency pools. */
  readonly resources: RunResources;
  /** Circuit breakers, per agent (created on first use). */
  readonly breakers: Keyed<string, CircuitBreaker>;
  /** Token and cost budgets of the run (and fresh per-workflow meters). */
  readonly budget: RunBudget;
  /** The run's events (rows of `events`, span events). */
  readonly events: RunEvents;
  /** The run's dead-letter queue (rows of `dead_letters`). */
  readonly deadLetters: DeadLetterQueue;
  /** Where the run's rows go (spans pass through `tracer`). */
  readonly sink: RecordSink;
  /** Saves a checkpoint per completed agent call and replays them on `--resume`; absent = neither. */
  readonly checkpoints?: RunCheckpoints;
  /** Cached string hashes for stream derivation. */
  readonly keys: KeyHashes;
  /** The run's hash-chained audit trail (rows of `audit`, harness/governance/audit.ts); absent = none. */
  readonly audit?: AuditTrail;
  /** Data classes of case fields, masking and residency (harness/governance/pii.ts); absent or null = none. */
  readonly privacy?: RunPrivacy | null;
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
