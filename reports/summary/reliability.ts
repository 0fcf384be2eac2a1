/**
 * How each run coped with faults, side by side: completion rate, p95 latency, retries per
 * workflow, failures by error type, breaker trips, fallbacks, dead letters, compensations (and
 * side effects left uncompensated — it must be 0), budget stops and cost. SQL over `workflows`,
 * `events` and `dead_letters`; retries and fallbacks from `span_metrics` (every agent call counted,
 * whether its trace was kept or not).
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import type { Db } from '../store/schema.ts';
import { readSpanMetrics } from '../store/span-metrics.ts';
import { alignColumns, formatPercentDown, formatUsd } from './format.ts';
import type { SummaryRow } from './summary.ts';

/** The reliability figures of one run. */
export interface RunReliability {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  /** Completed workflows ÷ arrivals (dropped arrivals count against it): the summary's `successRate`. */
  readonly completionRate: number | null;
  readonly latencyP95Ms: number | null;
  /** Attempts after the first of each agent call (`patternbench.attempts` − 1 on `invoke_agent` spans) ÷ workflows. */
  readonly retriesPerWorkflow: number | null;
  /** Failed workflows by `error_type`, most frequent first. */
  readonly failures: readonly (readonly [string, number])[];
  /** `breaker.open` events. */
  readonly breakerTrips: number;
  /** Agent calls answered by a fallback (`patternbench.fallback` on the span). */
  readonly fallbacks: number;
  readonly deadLetters: number;
  /** `compensation` events. */
  readonly compensations: number;
  /** Side effects of failed workflows neither compensated nor dead-lettered (workflow facts `saga.uncompensated`). */
  readonly uncompensated: number;
  /** `budget.stop` events. */
  readonly budgetStops: number;
  readonly meanCostUsd: number | null;
}

const count = (db: Db, sql: string, runId: string): number => (db.prepare(sql).pluck().get(runId) as number | null) ?? 0;

/** The reliability figures of every run of `summary`, in its order. */
export function summariseReliability(db: Db, summary: readonly SummaryRow[]): RunReliability[] {
  // Retries (each agent call's attempts after its first; fallback and breaker-rejected calls make
  // none) and fallbacks, per run, from the agent calls' span metrics.
  const calls = new Map<string, { retries: number; fallbacks: number }>();
  for (const metrics of readSpanMetrics(db, { operations: ['invoke_agent'] })) {
    const run = calls.get(metrics.runId) ?? { retries: 0, fallbacks: 0 };
    calls.set(metrics.runId, { retries: run.retries + metrics.retries, fallbacks: run.fallbacks + metrics.fallbacks });
  }
  return summary.map((row) => {
    const runId = row.runId;
    const retries = calls.get(runId)?.retries ?? 0;
    const failures = db
      .prepare("SELECT coalesce(error_type, 'unknown'), count(*) AS n FROM workflows WHERE run_id = ? AND status = 'failed' GROUP BY 1 ORDER BY n DESC, 1")
      .raw()
      .all(runId) as [string, number][];
    return {
      runId,
      scenario: row.scenario,
      pattern: row.pattern,
      variant: row.variant,
      completionRate: row.successRate,
      latencyP95Ms: row.latencyP95Ms,
      retriesPerWorkflow: row.workflows === 0 ? null : retries / row.workflows,
      failures,
      breakerTrips: count(db, "SELECT count(*) FROM events WHERE run_id = ? AND kind = 'breaker.open'", runId),
      fallbacks: calls.get(runId)?.fallbacks ?? 0,
      deadLetters: count(db, 'SELECT count(*) FROM dead_letters WHERE run_id = ?', runId),
      compensations: count(db, "SELECT count(*) FROM events WHERE run_id = ? AND kind = 'compensation'", runId),
      uncompensated: count(db, `SELECT sum(json_extract(facts, '$."saga.uncompensated"')) FROM workflows WHERE run_id = ?`, runId),
      budgetStops: count(db, "SELECT count(*) FROM events WHERE run_id = ? AND kind = 'budget.stop'", runId),
      meanCostUsd: row.meanCostUsd,
    };
  });
}

/** True when a run met a fault worth a reliability block: a failure, a retry, a breaker trip, a fallback, a dead letter or a budget stop. */
export function eventful(run: RunReliability): boolean {
  return run.failures.length > 0 || (run.retriesPerWorkflow ?? 0) > 0 || run.breakerTrips > 0 || run.fallbacks > 0 || run.deadLetters > 0 || run.budgetStops > 0;
}

/** The reliability table printed under the summary; empty when no run met a fault. */
export function formatReliabilityBlock(runs: readonly RunReliability[]): string {
  if (!runs.some(eventful)) return '';
  const header = ['run', 'completed', 'p95', 'retries/wf', 'breaker trips', 'fallbacks', 'dead letters', 'compensations', 'uncompensated', 'budget stops', 'cost/wf', 'failures by type'];
  const rows = runs.map((run) => [
    run.runId,
    formatPercentDown(run.completionRate),
    run.latencyP95Ms === null ? '–' : formatDuration(run.latencyP95Ms),
    run.retriesPerWorkflow === null ? '–' : run.retriesPerWorkflow.toFixed(2),
    String(run.breakerTrips),
    String(run.fallbacks),
    String(run.deadLetters),
    String(run.compensations),
    String(run.uncompensated),
    String(run.budgetStops),
    formatUsd(run.meanCostUsd),
    run.failures.length === 0 ? '–' : run.failures.map(([type, n]) => `${type} ${n}`).join(', '),
  ]);
  const table = alignColumns(header, rows, (column) => column === 0 || column === header.length - 1);
  return ['', '', 'reliability (faults, retries, breakers, dead letters, compensations, budgets):', ...table.map((line) => `  ${line}`)].join('\n');
}
