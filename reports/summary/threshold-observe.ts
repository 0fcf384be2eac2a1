/**
 * The value a threshold metric takes on one run, by SQL over the results file: aggregates over
 * `workflows` and the dropped arrivals of `timeseries` in one pass for all runs (accuracy, success,
 * error and dropped rates over every workflow meant to run: `rates.ts`), nearest-rank percentiles
 * by one ordered walk per percentile (as `reports/summary/summary.ts` does), and queue waits from
 * the `queue.wait` HDR histograms (the only record of them).
 */
import type Database from 'better-sqlite3';
import type { ThresholdMetric } from '../../harness/scenario/thresholds.ts';
import { DurationHistogram } from '../../harness/kernel/hdr.ts';
import type { Db } from '../store/schema.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import { accuracyRate, arrivalCount, DROPPED_BY_RUN } from './rates.ts';

/** One run's totals over its workflows (`null` columns: the run has no workflows). */
export interface RunTotals {
  readonly run_id: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly workflows: number;
  readonly completed: number;
  readonly failed: number;
  /** Arrivals dropped at the in-flight cap (summed over `timeseries`). */
  readonly dropped: number;
  readonly scored: number;
  readonly correct: number;
  readonly tokens: number;
  readonly cost: number;
  readonly agent_calls: number;
  readonly model_attempts: number;
  readonly mean_latency: number | null;
  readonly max_latency: number | null;
  readonly mean_service: number | null;
  readonly max_service: number | null;
  readonly first_intended_start: number | null;
  readonly last_end: number | null;
}

/** A metric's value on a run, or null with the reason there is none. */
export type Observation = { readonly value: number; readonly reason: null } | { readonly value: null; readonly reason: string };

const RUN_TOTALS = `
SELECT r.run_id, r.scenario, r.pattern, r.variant, r.seed,
       count(w.run_id) AS workflows, coalesce(sum(w.status = 'completed'), 0) AS completed,
       coalesce(sum(w.status = 'failed'), 0) AS failed, coalesce(max(d.dropped), 0) AS dropped,
       count(w.correct) AS scored, coalesce(sum(w.correct), 0) AS correct,
       coalesce(sum(w.input_tokens + w.output_tokens), 0) AS tokens, coalesce(sum(w.cost_usd), 0.0) AS cost,
       coalesce(sum(w.agent_calls), 0) AS agent_calls, coalesce(sum(w.model_attempts), 0) AS model_attempts,
       avg(w.latency_ms) AS mean_latency, max(w.latency_ms) AS max_latency,
       avg(w.service_ms) AS mean_service, max(w.service_ms) AS max_service,
       min(w.intended_start_ms) AS first_intended_start, max(w.end_ms) AS last_end
FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
            LEFT JOIN (${DROPPED_BY_RUN}) d ON d.run_id = r.run_id
GROUP BY r.run_id
ORDER BY r.scenario, r.pattern, r.variant, r.seed, r.run_id`;

/** Every run's totals, ordered like the summary (scenario, pattern, variant, seed). */
export function runTotals(db: Db): RunTotals[] {
  return db.prepare(RUN_TOTALS).all() as RunTotals[];
}

/** Columns of `workflows` per duration quantity measured there. */
const WORKFLOW_COLUMN = { latency: 'latency_ms', service: 'service_ms' } as const;

/**
 * Reads metrics for runs of one results file. Create one per evaluation: it prepares its
 * statements once and holds nothing between calls.
 */
export class RunObserver {
  private readonly durationAt: Readonly<Record<keyof typeof WORKFLOW_COLUMN, Database.Statement>>;
  private readonly queueWaits: Database.Statement;

  constructor(db: Db) {
    const at = (column: string): Database.Statement =>
      db.prepare(`SELECT ${column} FROM workflows WHERE run_id = ? ORDER BY ${column} LIMIT 1 OFFSET ?`).pluck();
    this.durationAt = { latency: at(WORKFLOW_COLUMN.latency), service: at(WORKFLOW_COLUMN.service) };
    this.queueWaits = db.prepare("SELECT count, max_ms, mean_ms, encoded FROM histograms WHERE run_id = ? AND metric = 'queue.wait'");
  }

  /** The value of `metric` on the run with these totals. */
  observe(run: RunTotals, metric: ThresholdMetric): Observation {
    if (metric.kind === 'scalar') return this.scalar(run, metric.name);
    if (metric.quantity === 'queue_wait') return this.queueWait(run.run_id, metric);
    if (run.workflows === 0) return none('the run has no workflows');
    const quantity = metric.quantity;
    switch (metric.kind) {
      case 'percentile':
        return some(this.durationAt[quantity].get(run.run_id, nearestRankIndex(run.workflows, metric.percentile / 100)) as number);
      case 'mean':
        return some((quantity === 'latency' ? run.mean_latency : run.mean_service) as number);
      case 'max':
        return some((quantity === 'latency' ? run.max_latency : run.max_service) as number);
    }
  }

  private scalar(run: RunTotals, name: Extract<ThresholdMetric, { kind: 'scalar' }>['name']): Observation {
    if (name === 'dropped_rate') return some(arrivalCount(run) === 0 ? 0 : run.dropped / arrivalCount(run));
    if (run.workflows === 0) return none('the run has no workflows');
    const perWorkflow = (total: number): Observation => some(total / run.workflows);
    // Success, errors and drops split the arrivals (workflows + dropped); accuracy counts them all (rates.ts).
    const perArrival = (total: number): Observation => some(total / arrivalCount(run));
    switch (name) {
      case 'accuracy': {
        const accuracy = accuracyRate(run);
        return accuracy === null ? none('no workflow was scored') : some(accuracy);
      }
      case 'success_rate':
        return perArrival(run.completed);
      case 'error_rate':
        return perArrival(run.failed);
      case 'cost_per_workflow':
        return perWorkflow(run.cost);
      case 'cost_per_correct':
        return run.correct === 0 ? none('no workflow was correct') : some(run.cost / run.correct);
      case 'tokens_per_workflow':
        return perWorkflow(run.tokens);
      case 'retries_per_workflow':
        return perWorkflow(run.model_attempts - run.agent_calls);
      case 'throughput':
        return throughput(run);
    }
  }

  /** A statistic of the run's `queue.wait` histograms, merged over every shared resource. */
  private queueWait(runId: string, metric: Extract<ThresholdMetric, { kind: 'percentile' | 'mean' | 'max' }>): Observation {
    const rows = (this.queueWaits.all(runId) as { count: number; max_ms: number | null; mean_ms: number | null; encoded: string }[])
      .filter((row) => row.count > 0);
    if (rows.length === 0) return none('no queue.wait histogram was recorded (no shared resource, or an older results file)');
    switch (metric.kind) {
      case 'mean': {
        const total = rows.reduce((sum, row) => sum + row.count, 0);
        return some(rows.reduce((sum, row) => sum + row.count * (row.mean_ms ?? 0), 0) / total);
      }
      case 'max':
        return some(Math.max(...rows.map((row) => row.max_ms ?? 0)));
      case 'percentile': {
        const merged = DurationHistogram.create();
        for (const row of rows) merged.add(DurationHistogram.decode(row.encoded));
        return some(merged.quantileMs(metric.percentile / 100) as number);
      }
    }
  }
}

/** Completed workflows per second of virtual time from the first intended start to the last end. */
function throughput(run: RunTotals): Observation {
  const elapsedMs = (run.last_end as number) - (run.first_intended_start as number);
  if (!(elapsedMs > 0)) return none('no virtual time elapsed between the first intended start and the last end');
  return some(run.completed / (elapsedMs / 1000));
}

function some(value: number): Observation {
  return { value, reason: null };
}

function none(reason: string): Observation {
  return { value: null, reason };
}
