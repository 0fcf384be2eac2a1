/**
 * Evaluates thresholds (`harness/scenario/thresholds.ts`) against the runs of a results file and records the
 * outcome in its `thresholds` table. Observed values are SQL over the file (`threshold-observe.ts`).
 */
import { thresholdHolds, type ThresholdOp, type ThresholdSpec, type ThresholdUnit } from '../../harness/scenario/thresholds.ts';
import type { Db } from '../store/schema.ts';
import { RunObserver } from './threshold-observe.ts';
import { readRunTotals } from './run-totals.ts';

/** Where a threshold was given: a scenario's `thresholds:` list, or `--threshold` on the command line. */
export type ThresholdSource = 'scenario' | 'cli';

/** A threshold to evaluate. */
export interface ThresholdInput {
  readonly spec: ThresholdSpec;
  readonly source: ThresholdSource;
  /** Only runs of this scenario (a scenario's own thresholds). Default: every run (`--threshold`). */
  readonly scenario?: string;
}

/** One threshold on one run. */
export interface ThresholdResult {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  /** `ThresholdSpec.expression`: `router: p95(latency) < 20s`. */
  readonly expression: string;
  readonly source: ThresholdSource;
  /** `p95(latency)`, `accuracy`, … */
  readonly metric: string;
  readonly op: ThresholdOp;
  /** The limit, in `unit`. */
  readonly limit: number;
  /** `ms`, `ratio` (a fraction in [0, 1]), `usd`, `count` or `per_second` (workflows per second). */
  readonly unit: ThresholdUnit;
  /** The run's value of the metric, in `unit`; null when the run has no data for it. */
  readonly observed: number | null;
  /** `observed op limit`; false when `observed` is null. */
  readonly passed: boolean;
  /** Why `observed` is null (`no workflow was scored`); null when there is a value. */
  readonly reason: string | null;
}

/**
 * Evaluates each threshold on each run it applies to: runs of its pattern (every pattern when
 * unscoped) and, when `scenario` is given, of that scenario. Results come per run (ordered by
 * scenario, pattern, variant, seed, as in the summary), then in the order of `thresholds`. A
 * threshold given twice for a run with the same expression (say in the scenario and on the command
 * line) is evaluated once, with the source of its first occurrence. A metric without data
 * (accuracy with nothing scored, anything on a run without workflows) fails with a `reason`.
 */
export function evaluateThresholds(db: Db, thresholds: readonly ThresholdInput[]): ThresholdResult[] {
  if (thresholds.length === 0) return [];
  const observer = new RunObserver(db);
  const results: ThresholdResult[] = [];
  for (const run of readRunTotals(db)) {
    const seen = new Set<string>();
    for (const { spec, source, scenario } of thresholds) {
      if (spec.pattern !== null && spec.pattern !== run.pattern) continue;
      if (scenario !== undefined && scenario !== run.scenario) continue;
      if (seen.has(spec.expression)) continue;
      seen.add(spec.expression);
      const observation = observer.observe(run, spec.metric);
      results.push({
        runId: run.runId,
        scenario: run.scenario,
        pattern: run.pattern,
        variant: run.variant,
        seed: run.seed,
        expression: spec.expression,
        source,
        metric: spec.metricText,
        op: spec.op,
        limit: spec.limit,
        unit: spec.unit,
        observed: observation.value,
        passed: observation.value !== null && thresholdHolds(spec.op, observation.value, spec.limit),
        reason: observation.reason,
      });
    }
  }
  return results;
}

/**
 * Writes `results` to the `thresholds` table in one transaction; a result already recorded for the
 * same run and expression is replaced (re-evaluating a file updates it).
 */
export function recordThresholds(db: Db, results: readonly ThresholdResult[]): void {
  const insert = db.prepare(
    `INSERT INTO thresholds (run_id, expression, source, observed, passed) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (run_id, expression) DO UPDATE SET source = excluded.source, observed = excluded.observed, passed = excluded.passed`,
  );
  db.transaction(() => {
    for (const result of results) {
      insert.run(result.runId, result.expression, result.source, result.observed, result.passed ? 1 : 0);
    }
  })();
}

/** True when every result passed (an empty list passes). */
export function thresholdsPassed(results: readonly ThresholdResult[]): boolean {
  return results.every((result) => result.passed);
}
