/**
 * The decision matrix: one row per series (pattern × variant) of a scenario, one column per concern
 * a team weighs when choosing a pattern — what the pattern assumes about the task's dependencies,
 * latency, predictability, error recovery, token cost (and accuracy) — filled with this run's
 * measured values, with the best value of each column marked. Success and accuracy count every
 * workflow meant to run, failed ones and dropped arrivals included (`../summary/rates.ts`).
 */
import type { LatencyReport } from './latency.ts';
import type { ReportSeries } from './series.ts';
import { accuracyRate, successRate } from '../summary/rates.ts';

/** What each pattern assumes about the task (fixed descriptions, not measurements). */
export const TASK_DEPENDENCIES: Readonly<Record<string, string>> = {
  sequential: 'Each step needs the previous step’s output: a strict order of dependent steps.',
  fanout: 'Subtasks independent of each other, run at once and merged at the end.',
  router: 'One specialist per input; the input can be classified up front.',
  supervisor: 'Subtasks found and re-planned as work proceeds; results reviewed and sent back.',
  'single-agent': 'The whole task fits one context window and one tool set.',
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

/** One row of the matrix. Values are null without a denominator. */
export interface MatrixRow {
  readonly label: string;
  readonly pattern: string;
  readonly taskDependencies: string;
  readonly values: Readonly<Record<MatrixKey, number | null>>;
  /**
   * The columns in which this row holds the best value (ties: every row that holds it); a column
   * whose rows all hold the same value has no best.
   */
  readonly best: readonly MatrixKey[];
}

function ratio(numerator: number | null, denominator: number | null): number | null {
  return numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;
}

/** The matrix of a scenario from its series and their latency. */
export function decisionMatrix(series: readonly ReportSeries[], latency: LatencyReport): MatrixRow[] {
  const rows = series.map((entry, position) => {
    const measured = latency.series[position];
    const p50 = measured?.p50Ms ?? null;
    const values: Record<MatrixKey, number | null> = {
      p50Ms: p50,
      p95Ms: measured?.p95Ms ?? null,
      p99OverP50: ratio(measured?.p99Ms ?? null, p50),
      latencyCv: ratio(entry.latencyStdMs, entry.latencyMeanMs),
      successRate: successRate(entry),
      retriesPerWorkflow: ratio(entry.modelAttempts - entry.agentCalls, entry.workflows),
      meanTokens: ratio(entry.tokens, entry.workflows),
      meanCostUsd: ratio(entry.costUsd, entry.workflows),
      accuracy: accuracyRate(entry),
    };
    return { label: entry.label, pattern: entry.pattern, taskDependencies: TASK_DEPENDENCIES[entry.pattern] ?? 'No description for this pattern.', values };
  });
  const bestOf = new Map<MatrixKey, number>();
  for (const column of MATRIX_COLUMNS) {
    const present = rows.map((row) => row.values[column.key]).filter((value): value is number => value !== null);
    // A column where every row holds the same value (or only one row has one) has no winner.
    if (new Set(present).size < 2) continue;
    bestOf.set(column.key, column.better === 'low' ? Math.min(...present) : Math.max(...present));
  }
  return rows.map((row) => ({
    ...row,
    best: MATRIX_COLUMNS.filter((column) => row.values[column.key] !== null && row.values[column.key] === bestOf.get(column.key)).map(
      (column) => column.key,
    ),
  }));
}
