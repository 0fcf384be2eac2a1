/**
 * The series of a scenario in the HTML report: one per pattern × variant, pooling the workflows of
 * every seed, with the per-workflow aggregates most sections need (one SQL pass over `workflows`).
 */
import { groupBy } from '../../harness/kernel/keyed.ts';
import type { Db } from '../store/schema.ts';
import { readRunTotals, type RunTotals } from '../summary/run-totals.ts';

/** One pattern × variant of a scenario (every seed pooled). */
export interface ReportSeries {
  readonly pattern: string;
  readonly variant: string;
  /** `pattern`, or `pattern (variant)` for a variant other than `base`. */
  readonly label: string;
  /** The runs pooled into the series. */
  readonly runIds: readonly string[];
  readonly seeds: readonly number[];
  readonly workflows: number;
  readonly completed: number;
  /** Arrivals dropped at the in-flight cap over the series' runs (`timeseries`): meant to run, never started. */
  readonly dropped: number;
  readonly scored: number;
  readonly correct: number;
  /** Sum of input + output tokens. */
  readonly tokens: number;
  readonly costUsd: number;
  readonly agentCalls: number;
  readonly modelAttempts: number;
  /** Mean and population standard deviation of `latency_ms`; null without workflows. */
  readonly latencyMeanMs: number | null;
  readonly latencyStdMs: number | null;
}

/** The label of a pattern × variant. */
export function seriesLabel(pattern: string, variant: string): string {
  return variant === 'base' ? pattern : `${pattern} (${variant})`;
}

/** Condition selecting the runs of one scenario, with `?` bound to the scenario name. */
export const SCENARIO_RUNS = 'run_id IN (SELECT run_id FROM runs WHERE scenario = ?)';

/** Scenarios in the file, by name. */
export function listScenarios(db: Db): string[] {
  return db.prepare('SELECT DISTINCT scenario FROM runs ORDER BY scenario').pluck().all() as string[];
}

/**
 * The series of `scenario`, ordered by pattern and variant: sums of its runs' totals (`totals`: the
 * file's `readRunTotals`, when read already).
 */
export function listSeries(db: Db, scenario: string, totals: readonly RunTotals[] = readRunTotals(db)): ReportSeries[] {
  const bySeries = runsBySeries(totals, scenario);
  const sum = (runs: readonly RunTotals[], field: (run: RunTotals) => number): number => runs.reduce((total, run) => total + field(run), 0);
  return [...bySeries.values()]
    .sort((a, b) => compareText((a[0] as RunTotals).pattern, (b[0] as RunTotals).pattern) || compareText((a[0] as RunTotals).variant, (b[0] as RunTotals).variant))
    .map((runs) => {
      const { pattern, variant } = runs[0] as RunTotals;
      // Seeds in order, as the runs' labels list them.
      const ordered = [...runs].sort((a, b) => a.seed - b.seed || compareText(a.runId, b.runId));
      const workflows = sum(runs, (run) => run.workflows);
      const mean = workflows === 0 ? null : sum(runs, (run) => run.latency) / workflows;
      const meanSquare = workflows === 0 ? null : sum(runs, (run) => run.latencySquare) / workflows;
      return {
        pattern,
        variant,
        label: seriesLabel(pattern, variant),
        runIds: ordered.map((run) => run.runId),
        seeds: ordered.map((run) => run.seed),
        workflows,
        completed: sum(runs, (run) => run.completed),
        dropped: sum(runs, (run) => run.dropped),
        scored: sum(runs, (run) => run.scored),
        correct: sum(runs, (run) => run.correct),
        tokens: sum(runs, (run) => run.tokens),
        costUsd: sum(runs, (run) => run.cost),
        agentCalls: sum(runs, (run) => run.agentCalls),
        modelAttempts: sum(runs, (run) => run.modelAttempts),
        latencyMeanMs: mean,
        latencyStdMs: mean === null || meanSquare === null ? null : Math.sqrt(Math.max(0, meanSquare - mean * mean)),
      };
    });
}

/** The runs of `scenario` in `totals`, per pattern × variant (keyed `pattern\u0000variant`), in the order of `totals`. */
export function runsBySeries(totals: readonly RunTotals[], scenario: string): Map<string, RunTotals[]> {
  return groupBy(
    totals.filter((run) => run.scenario === scenario),
    (run) => `${run.pattern}\u0000${run.variant}`,
  );
}

/** Orders text by UTF-16 code unit: SQLite's binary order for the ASCII names of patterns and variants. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Finds the series of a pattern × variant (every query groups by both). */
export function seriesIndex(series: readonly ReportSeries[]): (pattern: string, variant: string) => number {
  const index = new Map(series.map((entry, position) => [`${entry.pattern}\u0000${entry.variant}`, position]));
  return (pattern, variant) => index.get(`${pattern}\u0000${variant}`) ?? -1;
}
