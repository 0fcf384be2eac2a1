/**
 * The decision matrix: one row per series (pattern × variant) of a scenario, one column per concern
 * a team weighs when choosing a pattern — what the pattern assumes about the task's dependencies,
 * latency, predictability, error recovery, token cost (and accuracy) — filled with this run's
 * measured values. Success and accuracy count every workflow meant to run, failed ones and dropped
 * arrivals included (`../summary/rates.ts`).
 *
 * Stars cannot mislead: a series that failed (a threshold of one of its runs, or a success rate under
 * the scenario's `minSuccess`) is marked failing and wins none; a star needs two or more viable
 * series, a best value that still differs from the runner-up's when printed, and — where an interval
 * is known (accuracy and success: Wilson; mean tokens and cost: the normal interval of the mean) — a
 * 95 % interval clear of the runner-up's.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { wilsonInterval, Z_95 } from '../../harness/kernel/statistics.ts';
import type { Db } from '../store/schema.ts';
import type { LatencyReport } from './latency.ts';
import { runsBySeries, type ReportSeries } from './series.ts';
import { accuracyRate, arrivalCount, judgedCount, successRate } from '../summary/rates.ts';
import { readRunTotals, type RunTotals } from '../summary/run-totals.ts';
import { failingReasons } from '../summary/decision.ts';
import { formatPercentDown, formatUsd } from '../summary/format.ts';

/** What each pattern assumes about the task (fixed descriptions, not measurements). */
export const TASK_DEPENDENCIES: Readonly<Record<string, string>> = {
  sequential: 'Each step needs the previous step’s output: a strict order of dependent steps.',
  fanout: 'Subtasks independent of each other, run at once and merged at the end.',
  router: 'One specialist per input; the input can be classified up front.',
  supervisor: 'Subtasks found and re-planned as work proceeds; results reviewed and sent back.',
  'single-agent': 'The whole task fits one context window and one tool set.',
  hybrid: 'Stages of different shapes, each run as the pattern its dependencies call for (classify, then fan out, then synthesise).',
};

/** Measured columns of the matrix, with the direction in which a value is better. */
export const MATRIX_COLUMNS = [
  { key: 'p50Ms', better: 'low' },
  { key: 'p95Ms', better: 'low' },
  { key: 'p99OverP50', better: 'low' },
  { key: 'latencyCv', better: 'low' },
  { key: 'successRate', better: 'high' },
  { key: 'retriesPerWorkflow', better: 'low' },
  { key: 'meanTokens', better: 'low' },
  { key: 'meanCostUsd', better: 'low' },
  { key: 'accuracy', better: 'high' },
] as const;

/** A measured column. */
export type MatrixKey = (typeof MATRIX_COLUMNS)[number]['key'];

/** How a value of each column prints (a star needs the best and the runner-up to print differently). */
const PRINT: Readonly<Record<MatrixKey, (value: number) => string>> = {
  p50Ms: formatDuration,
  p95Ms: formatDuration,
  p99OverP50: (value) => `${value.toFixed(2)}×`,
  latencyCv: (value) => value.toFixed(2),
  successRate: formatPercentDown,
  retriesPerWorkflow: (value) => value.toFixed(2),
  meanTokens: (value) => value.toLocaleString('en-US', { maximumFractionDigits: 0 }),
  meanCostUsd: formatUsd,
  accuracy: formatPercentDown,
};

/** `value` of column `key` as the matrix prints it. */
export function printMatrixValue(key: MatrixKey, value: number): string {
  return PRINT[key](value);
}

/** A 95 % interval around a value. */
export interface ValueInterval {
  readonly lo: number;
  readonly hi: number;
}

/** One row of the matrix. Values are null without a denominator. */
export interface MatrixRow {
  readonly label: string;
  readonly pattern: string;
  readonly variant: string;
  readonly taskDependencies: string;
  readonly values: Readonly<Record<MatrixKey, number | null>>;
  /** 95 % intervals of the columns that have one. */
  readonly intervals: Readonly<Partial<Record<MatrixKey, ValueInterval>>>;
  /** Why the series is not viable (failed thresholds, success under `minSuccess`); empty when viable. */
  readonly failing: readonly string[];
  /** The columns in which this row holds a real best value (see the file comment). */
  readonly best: readonly MatrixKey[];
}

/** What the matrix needs besides the series: per-run findings and the scenario's standards. */
export interface MatrixContext {
  /** Retries (model attempts beyond the first, never negative) per run, from the reliability summary. */
  readonly retriesByRun: ReadonlyMap<string, number>;
  /** Failed threshold expressions per run. */
  readonly failedThresholdsByRun: ReadonlyMap<string, readonly string[]>;
  /** Per series key (`seriesKey`): `minSuccess` and the second moments of cost and tokens per workflow. */
  readonly standards: ReadonlyMap<string, SeriesStandards>;
}

/** A series' bar and spread. */
export interface SeriesStandards {
  readonly minSuccess: number;
  /** Mean over workflows of cost² and tokens² (for the interval of the mean). */
  readonly meanCostSquare: number | null;
  readonly meanTokensSquare: number | null;
}

/** The key of a pattern × variant. */
export function seriesKey(pattern: string, variant: string): string {
  return `${pattern}\u0000${variant}`;
}

/** Each series' bar: the lowest `minSuccess` of its runs (read once per run: the stored configuration is large). */
const BARS = `
SELECT pattern, variant, min(coalesce(json_extract(config, '$.minSuccess'), 0.95)) AS min_success
FROM runs WHERE scenario = ? GROUP BY pattern, variant`;

/** The standards of each series of `scenario` (files written before `minSuccess` existed use 95 %). */
export function seriesStandards(db: Db, scenario: string, totals: readonly RunTotals[] = readRunTotals(db)): Map<string, SeriesStandards> {
  // Each series' spread: mean squares of cost and tokens per workflow, from its runs' totals.
  const sum = (runs: readonly RunTotals[], field: (run: RunTotals) => number): number => runs.reduce((total, run) => total + field(run), 0);
  const spread = new Map(
    [...runsBySeries(totals, scenario)].map(([key, runs]) => [
      key,
      { workflows: sum(runs, (run) => run.workflows), costSquare: sum(runs, (run) => run.costSquare), tokensSquare: sum(runs, (run) => run.tokensSquare) },
    ]),
  );
  const bars = db.prepare(BARS).all(scenario) as { pattern: string; variant: string; min_success: number }[];
  return new Map(
    bars.map((row) => {
      const key = seriesKey(row.pattern, row.variant);
      const entry = spread.get(key);
      const workflows = entry?.workflows ?? 0;
      return [key, { minSuccess: row.min_success, meanCostSquare: workflows === 0 ? null : (entry?.costSquare ?? 0) / workflows, meanTokensSquare: workflows === 0 ? null : (entry?.tokensSquare ?? 0) / workflows }];
    }),
  );
}

function ratio(numerator: number | null, denominator: number | null): number | null {
  return numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;
}

/** The normal 95 % interval of a mean over `n` values from its mean and mean square. */
function meanInterval(mean: number | null, meanSquare: number | null, n: number): ValueInterval | undefined {
  if (mean === null || meanSquare === null || n < 2) return undefined;
  const sd = Math.sqrt(Math.max(0, meanSquare - mean * mean) * (n / (n - 1)));
  const half = (Z_95 * sd) / Math.sqrt(n);
  return { lo: mean - half, hi: mean + half };
}

function rowOf(entry: ReportSeries, position: number, latency: LatencyReport, context: MatrixContext): Omit<MatrixRow, 'best'> {
  const measured = latency.series[position];
  const p50 = measured?.p50Ms ?? null;
  const retries = entry.runIds.reduce((total, runId) => total + (context.retriesByRun.get(runId) ?? 0), 0);
  const standards = context.standards.get(seriesKey(entry.pattern, entry.variant));
  const values: Record<MatrixKey, number | null> = {
    p50Ms: p50,
    p95Ms: measured?.p95Ms ?? null,
    p99OverP50: ratio(measured?.p99Ms ?? null, p50),
    latencyCv: ratio(entry.latencyStdMs, entry.latencyMeanMs),
    successRate: successRate(entry),
    retriesPerWorkflow: ratio(retries, entry.workflows),
    meanTokens: ratio(entry.tokens, entry.workflows),
    meanCostUsd: ratio(entry.costUsd, entry.workflows),
    accuracy: accuracyRate(entry),
  };
  const intervals: Partial<Record<MatrixKey, ValueInterval>> = {};
  const success = wilsonInterval(entry.completed, arrivalCount(entry));
  if (success !== null) intervals.successRate = success;
  const accuracy = values.accuracy === null ? null : wilsonInterval(entry.correct, judgedCount(entry));
  if (accuracy !== null) intervals.accuracy = accuracy;
  const tokens = meanInterval(values.meanTokens, standards?.meanTokensSquare ?? null, entry.workflows);
  if (tokens !== undefined) intervals.meanTokens = tokens;
  const cost = meanInterval(values.meanCostUsd, standards?.meanCostSquare ?? null, entry.workflows);
  if (cost !== undefined) intervals.meanCostUsd = cost;
  const failedThresholds = entry.runIds.flatMap((runId) => context.failedThresholdsByRun.get(runId) ?? []);
  const failing = failingReasons(values.successRate, standards?.minSuccess ?? 0.95, [...new Set(failedThresholds)]);
  return {
    label: entry.label,
    pattern: entry.pattern,
    variant: entry.variant,
    taskDependencies: TASK_DEPENDENCIES[entry.pattern] ?? 'No description for this pattern.',
    values,
    intervals,
    failing,
  };
}

/** The row holding a real best value of `column` among the viable rows, or undefined. */
function winner(rows: readonly Omit<MatrixRow, 'best'>[], column: (typeof MATRIX_COLUMNS)[number], context: MatrixContext): Omit<MatrixRow, 'best'> | undefined {
  const sign = column.better === 'low' ? 1 : -1;
  const ranked = rows
    .filter((row) => row.failing.length === 0 && row.values[column.key] !== null)
    .sort((a, b) => sign * ((a.values[column.key] as number) - (b.values[column.key] as number)));
  const [best, runner] = ranked;
  if (best === undefined || runner === undefined) return undefined;
  const bestValue = best.values[column.key] as number;
  const runnerValue = runner.values[column.key] as number;
  if (printMatrixValue(column.key, bestValue) === printMatrixValue(column.key, runnerValue)) return undefined;
  const a = best.intervals[column.key];
  const b = runner.intervals[column.key];
  if (a !== undefined && b !== undefined && (column.better === 'low' ? a.hi >= b.lo : a.lo <= b.hi)) return undefined;
  return best;
}

/** The matrix of a scenario from its series, their latency and the runs' findings. */
export function decisionMatrix(series: readonly ReportSeries[], latency: LatencyReport, context: MatrixContext): MatrixRow[] {
  const rows = series.map((entry, position) => rowOf(entry, position, latency, context));
  const winners = new Map(MATRIX_COLUMNS.map((column) => [column.key, winner(rows, column, context)]));
  return rows.map((row) => ({ ...row, best: MATRIX_COLUMNS.filter((column) => winners.get(column.key) === row).map((column) => column.key) }));
}

/**
 * The context of a scenario's matrix: retries per run (the reliability summary's figure, ≥ 0, times
 * the run's workflows), its failed thresholds, and the series' standards.
 */
export function matrixContext(
  db: Db,
  scenario: string,
  runs: readonly { readonly runId: string; readonly workflows: number }[],
  reliability: readonly { readonly runId: string; readonly retriesPerWorkflow: number | null }[],
  thresholds: readonly { readonly runId: string; readonly expression: string; readonly passed: boolean }[],
  totals?: readonly RunTotals[],
): MatrixContext {
  const workflows = new Map(runs.map((run) => [run.runId, run.workflows]));
  const retriesByRun = new Map(reliability.map((run) => [run.runId, (run.retriesPerWorkflow ?? 0) * (workflows.get(run.runId) ?? 0)]));
  const failedThresholdsByRun = new Map<string, string[]>();
  for (const row of thresholds) {
    if (row.passed) continue;
    const list = failedThresholdsByRun.get(row.runId) ?? [];
    list.push(row.expression);
    failedThresholdsByRun.set(row.runId, list);
  }
  return { retriesByRun, failedThresholdsByRun, standards: seriesStandards(db, scenario, totals) };
}
