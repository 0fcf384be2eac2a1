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

// The workflows are summed per run in a subquery, then joined: the same sums in the same order as a
// join grouped by run (the table's primary key order), in half the time.
const TOTALS = `
SELECT r.run_id AS runId, r.scenario, r.pattern, r.variant, r.seed, r.status, r.load,
       coalesce(w.workflows, 0) AS workflows, coalesce(w.completed, 0) AS completed, coalesce(w.failed, 0) AS failed,
       coalesce(d.dropped, 0) AS dropped, coalesce(w.scored, 0) AS scored, coalesce(w.correct, 0) AS correct,
       coalesce(w.tokens, 0) AS tokens, coalesce(w.tokensSquare, 0.0) AS tokensSquare,
       coalesce(w.cost, 0.0) AS cost, coalesce(w.costSquare, 0.0) AS costSquare,
       coalesce(w.agentCalls, 0) AS agentCalls, coalesce(w.modelAttempts, 0) AS modelAttempts, w.maxRepeat,
       coalesce(w.latency, 0.0) AS latency, coalesce(w.latencySquare, 0.0) AS latencySquare, w.maxLatency,
       coalesce(w.service, 0.0) AS service, w.maxService, w.firstIntendedStart, w.lastEnd
FROM runs r
LEFT JOIN (
  SELECT run_id, count(*) AS workflows, sum(status = 'completed') AS completed, sum(status = 'failed') AS failed,
         count(correct) AS scored, sum(correct) AS correct,
         sum(input_tokens + output_tokens) AS tokens,
         sum((input_tokens + output_tokens) * (input_tokens + output_tokens) * 1.0) AS tokensSquare,
         sum(cost_usd) AS cost, sum(cost_usd * cost_usd) AS costSquare,
         sum(agent_calls) AS agentCalls, sum(model_attempts) AS modelAttempts, max(repeat) AS maxRepeat,
         sum(latency_ms) AS latency, sum(latency_ms * latency_ms) AS latencySquare, max(latency_ms) AS maxLatency,
         sum(service_ms) AS service, max(service_ms) AS maxService,
         min(intended_start_ms) AS firstIntendedStart, max(end_ms) AS lastEnd
  FROM workflows GROUP BY run_id) w ON w.run_id = r.run_id
LEFT JOIN (${DROPPED_BY_RUN}) d ON d.run_id = r.run_id
ORDER BY r.scenario, r.pattern, r.variant, r.seed, r.run_id`;

/** Every run's totals, ordered by scenario, pattern, variant, seed and run id; `cost` includes the replica cost of autoscaled pools. */
export function readRunTotals(db: Db): RunTotals[] {
  return withReplicaCost(db.prepare(TOTALS).all() as RunTotals[], readReplicaCosts(db));
}
