/**
 * The value a threshold metric takes on one run, by SQL over the results file: the run's totals
 * over `workflows` and the dropped arrivals of `timeseries` (`run-totals.ts`: accuracy, success,
 * error and dropped rates over every workflow meant to run: `rates.ts`), nearest-rank percentiles
 * by one ordered walk per percentile (as `reports/summary/summary.ts` does), and queue waits from
 * the `queue.wait` HDR histograms (the only record of them).
 */
import type Database from 'better-sqlite3';
import type { ThresholdMetric } from '../../harness/scenario/thresholds.ts';
import { DurationHistogram } from '../../harness/kernel/hdr.ts';
import type { Db } from '../store/schema.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import { accuracyRate, arrivalCount } from './rates.ts';
import type { RunTotals } from './run-totals.ts';

/** A metric's value on a run, or null with the reason there is none. */
export type Observation = { readonly value: number; readonly reason: null } | { readonly value: null; readonly reason: string };

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
    if (metric.quantity === 'queue_wait') return this.queueWait(run.runId, metric);
    if (run.workflows === 0) return none('the run has no workflows');
    const quantity = metric.quantity;
    switch (metric.kind) {
      case 'percentile':
        return some(this.durationAt[quantity].get(run.runId, nearestRankIndex(run.workflows, metric.percentile / 100)) as number);
      case 'mean':
        return some((quantity === 'latency' ? run.latency : run.service) / run.workflows);
      case 'max':
        return some((quantity === 'latency' ? run.maxLatency : run.maxService) as number);
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
        return perWorkflow(run.modelAttempts - run.agentCalls);
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
  const elapsedMs = (run.lastEnd as number) - (run.firstIntendedStart as number);
  if (!(elapsedMs > 0)) return none('no virtual time elapsed between the first intended start and the last end');
  return some(run.completed / (elapsedMs / 1000));
}

function some(value: number): Observation {
  return { value, reason: null };
}

function none(reason: string): Observation {
  return { value: null, reason };
}
