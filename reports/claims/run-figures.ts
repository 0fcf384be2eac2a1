/**
 * The per-run figures the article's claims are measured on, read from a results file: one row per
 * run, over every workflow the run was meant to run (a failed workflow counts as not correct).
 */
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import type { Db } from '../store/schema.ts';

/** What one run measured. */
export interface RunFigures {
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly workflows: number;
  readonly meanLatencyMs: number;
  /** Nearest-rank 5th and 95th percentiles of workflow latency. */
  readonly p5LatencyMs: number;
  readonly p95LatencyMs: number;
  /** Input + output tokens per workflow, every agent call of it. */
  readonly meanTokens: number;
  readonly meanCostUsd: number;
  /** Correct workflows ÷ workflows. */
  readonly accuracy: number;
  readonly agentCallsPerWorkflow: number;
  /** Completed workflows per second of run time (virtual time from 0 to the run's end). */
  readonly throughputPerSecond: number;
}

const PER_RUN = `
SELECT r.run_id AS runId, r.scenario, r.pattern, r.variant, r.seed, r.virtual_end_ms AS endMs,
       count(*) AS workflows, avg(w.latency_ms) AS meanLatencyMs, avg(w.input_tokens + w.output_tokens) AS meanTokens,
       avg(w.cost_usd) AS meanCostUsd, sum(w.correct = 1) AS correct, sum(w.agent_calls) AS agentCalls,
       sum(w.status = 'completed') AS completed
FROM runs r JOIN workflows w ON w.run_id = r.run_id
GROUP BY r.run_id ORDER BY r.run_id`;

interface PerRunRow {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly endMs: number | null;
  readonly workflows: number;
  readonly meanLatencyMs: number;
  readonly meanTokens: number;
  readonly meanCostUsd: number;
  readonly correct: number;
  readonly agentCalls: number;
  readonly completed: number;
}

/** Every run's figures, in run-id order. */
export function readRunFigures(db: Db): RunFigures[] {
  const latencies = db.prepare('SELECT latency_ms FROM workflows WHERE run_id = ? ORDER BY latency_ms').pluck();
  return (db.prepare(PER_RUN).all() as PerRunRow[]).map((row) => {
    const sorted = latencies.all(row.runId) as number[];
    const at = (q: number): number => sorted[nearestRankIndex(sorted.length, q)] as number;
    const seconds = (row.endMs ?? 0) / 1000;
    return {
      scenario: row.scenario,
      pattern: row.pattern,
      variant: row.variant,
      seed: row.seed,
      workflows: row.workflows,
      meanLatencyMs: row.meanLatencyMs,
      p5LatencyMs: at(0.05),
      p95LatencyMs: at(0.95),
      meanTokens: row.meanTokens,
      meanCostUsd: row.meanCostUsd,
      accuracy: row.correct / row.workflows,
      agentCallsPerWorkflow: row.agentCalls / row.workflows,
      throughputPerSecond: seconds > 0 ? row.completed / seconds : 0,
    };
  });
}
