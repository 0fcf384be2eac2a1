/**
 * Per-run sums over `workflows`, read in one scan of the table: the summary's counts and means,
 * the report's series (seeds pooled), the decision matrix's spreads and the thresholds' scalar
 * metrics are all made of these. On an hour-long run's 360,000 workflows a scan takes ~0.3 s; the
 * readers scanned it each.
 */
import type { Db } from '../store/schema.ts';
import { DROPPED_BY_RUN } from './rates.ts';
import { readReplicaCosts, withReplicaCost } from './levers/autoscale-cost.ts';

/** One run's totals over its workflows. */
export interface RunTotals {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  /** `runs.status`. */
  readonly status: string;
  /** `runs.load` (JSON). */
  readonly load: string;
  readonly workflows: number;
  readonly completed: number;
  readonly failed: number;
  /** Arrivals dropped at the in-flight cap (`timeseries`): meant to run, never started. */
  readonly dropped: number;
  /** Workflows with a verdict (`correct` not NULL). */
  readonly scored: number;
  readonly correct: number;
  /** Σ input + output tokens, and Σ of its square. */
  readonly tokens: number;
  readonly tokensSquare: number;
  /** Σ cost (USD), and Σ of its square. */
  readonly cost: number;
  readonly costSquare: number;
  readonly agentCalls: number;
  readonly modelAttempts: number;
  /** Highest `workflows.repeat`; null without workflows. */
  readonly maxRepeat: number | null;
  /** Σ latency (ms), Σ of its square, and the largest; null without workflows. */
  readonly latency: number;
  readonly latencySquare: number;
  readonly maxLatency: number | null;
  /** Σ service time (ms) and the largest; null without workflows. */
  readonly service: number;
  readonly maxService: number | null;
  /** The first intended start and the last end (ms of the run's clock); null without workflows. */
  readonly firstIntendedStart: number | null;
  readonly lastEnd: number | null;
}

const TOTALS = `
SELECT r.run_id AS runId, r.scenario, r.pattern, r.variant, r.seed, r.status, r.load,
       count(w.run_id)                                                              AS workflows,
       coalesce(sum(w.status = 'completed'), 0)                                     AS completed,
       coalesce(sum(w.status = 'failed'), 0)                                        AS failed,
       coalesce(max(d.dropped), 0)                                                  AS dropped,
       count(w.correct)                                                             AS scored,
       coalesce(sum(w.correct), 0)                                                  AS correct,
       coalesce(sum(w.input_tokens + w.output_tokens), 0)                           AS tokens,
       coalesce(sum((w.input_tokens + w.output_tokens) * (w.input_tokens + w.output_tokens) * 1.0), 0.0) AS tokensSquare,
       coalesce(sum(w.cost_usd), 0.0)                                               AS cost,
       coalesce(sum(w.cost_usd * w.cost_usd), 0.0)                                  AS costSquare,
       coalesce(sum(w.agent_calls), 0)                                              AS agentCalls,
       coalesce(sum(w.model_attempts), 0)                                           AS modelAttempts,
       max(w.repeat)                                                                AS maxRepeat,
       coalesce(sum(w.latency_ms), 0.0)                                             AS latency,
       coalesce(sum(w.latency_ms * w.latency_ms), 0.0)                              AS latencySquare,
       max(w.latency_ms)                                                            AS maxLatency,
       coalesce(sum(w.service_ms), 0.0)                                             AS service,
       max(w.service_ms)                                                            AS maxService,
       min(w.intended_start_ms)                                                     AS firstIntendedStart,
       max(w.end_ms)                                                                AS lastEnd
FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
            LEFT JOIN (${DROPPED_BY_RUN}) d ON d.run_id = r.run_id
GROUP BY r.run_id
ORDER BY r.scenario, r.pattern, r.variant, r.seed, r.run_id`;

/** Every run's totals, ordered by scenario, pattern, variant, seed and run id; `cost` includes the replica cost of autoscaled pools. */
export function readRunTotals(db: Db): RunTotals[] {
  return withReplicaCost(db.prepare(TOTALS).all() as RunTotals[], readReplicaCosts(db));
}
