/**
 * The per-run summary: SQL over the `runs` and `workflows` tables, with the dropped arrivals from
 * `timeseries` (see `reports/store/SCHEMA.md`); success and accuracy count every workflow meant to
 * run (`rates.ts`). Aggregates take one pass over `workflows`; each latency percentile is one walk of the
 * `workflows_latency` index (`ORDER BY latency_ms LIMIT 1 OFFSET k`), so the summary stays cheap on
 * millions of rows and nothing is held in memory but one row per run.
 */
import type { Db } from '../store/schema.ts';
import { nearestRankIndex, wilsonInterval } from '../../harness/kernel/statistics.ts';
import { accuracyRate, arrivalCount, completedAccuracyRate, judgedCount, successRate } from './rates.ts';
import { readRunTotals, type RunTotals } from './run-totals.ts';

/** Latency percentiles reported per run. */
export const SUMMARY_QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

/**
 * One run (scenario × pattern × variant × seed). Rates and means are null when they have no
 * denominator (no workflows, nothing scored, nothing correct).
 */
export interface SummaryRow {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  /** `runs.status`: `running` (never ended), `completed`, `interrupted` or `failed`. */
  readonly runStatus: string;
  /** Workflows meant to run: the ones that started (`workflows`) and the arrivals dropped at the in-flight cap (`dropped`). */
  readonly arrivals: number;
  /** Workflows that started (rows of `workflows`). */
  readonly workflows: number;
  /** Workflows with status `completed`. */
  readonly completed: number;
  /** Workflows with status `failed` (budget-stopped ones included). */
  readonly failed: number;
  /** Arrivals dropped at the in-flight cap (open load with `maxInFlight`), from `timeseries`: they never started. */
  readonly dropped: number;
  /** completed ÷ arrivals: failed workflows and dropped arrivals count against it. */
  readonly successRate: number | null;
  /** Workflows the scorer judged (`correct` not NULL). */
  readonly scored: number;
  /** Workflows judged correct. */
  readonly correct: number;
  /**
   * The headline accuracy: correct ÷ every workflow meant to run, failed and dropped ones counting
   * as not correct (completed workflows the scorer could not judge are left out); see
   * `reports/summary/rates.ts`. Null when workflows completed but none could be scored.
   */
  readonly accuracy: number | null;
  /** Lower end of the 95 % Wilson score interval on `accuracy`. */
  readonly accuracyLo: number | null;
  /** Upper end of the 95 % Wilson score interval on `accuracy`. */
  readonly accuracyHi: number | null;
  /** correct ÷ scored: the accuracy of the completed workflows alone. */
  readonly accuracyCompleted: number | null;
  /** Distinct cases run. */
  readonly cases: number;
  /**
   * `--repeat` k: the tries per case of a run that goes through its case list (a closed load
   * without a duration), read as the highest `workflows.repeat` + 1. 1 for a load that cycles
   * through its cases (an open load, or a closed one with a duration): a case coming round again
   * is a new arrival, not a repeat. 0 without workflows.
   */
  readonly repeats: number;
  /**
   * pass^k: of the cases tried exactly k = `repeats` times, the share right on every try (a failed
   * try is not right). Null unless k > 1, or when no case was tried k times.
   */
  readonly passAllK: number | null;
  /**
   * Nearest-rank percentiles of `latency_ms` (intended start → end, so queueing counts) over all
   * workflows of the run, failed ones included, in milliseconds.
   */
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly latencyP99Ms: number | null;
  /** Mean input + output tokens per workflow. */
  readonly meanTokens: number | null;
  /** Total cost of the run's workflows, USD. */
  readonly totalCostUsd: number;
  /** Mean cost per workflow, USD. */
  readonly meanCostUsd: number | null;
  /** meanCostUsd × 1,000. */
  readonly costPer1kUsd: number | null;
  /** totalCostUsd ÷ correct: what one right answer costs (failed workflows and wrong answers are paid for too). */
  readonly costPerCorrectUsd: number | null;
  /** Mean agent calls per workflow. */
  readonly meanAgentCalls: number | null;
}

/**
 * Of one run, per number of tries: the cases tried that often, and those right on every try (failed
 * tries: correct NULL). Read only for runs that repeat their cases (`repeatCount` > 1): it groups
 * every workflow of the run by case.
 */
const CASES_BY_TRIES = `
SELECT tries, count(*) AS cases, sum(all_right) AS passed
FROM (SELECT case_id, count(*) AS tries, min(coalesce(correct, 0)) AS all_right
      FROM workflows WHERE run_id = ? GROUP BY case_id)
GROUP BY tries`;

/** The cases a run tried (a load that cycles through its cases numbers each round as a repeat). */
const DISTINCT_CASES = 'SELECT count(DISTINCT case_id) FROM workflows WHERE run_id = ?';

interface TriesRow {
  tries: number;
  cases: number;
  passed: number;
}

const LATENCY_AT = 'SELECT latency_ms FROM workflows WHERE run_id = ? ORDER BY latency_ms LIMIT 1 OFFSET ?';

/** Summarises every run in `db`, ordered by scenario, pattern, variant, seed (`totals`: its `readRunTotals`, when read already). */
export function summarise(db: Db, totals: readonly RunTotals[] = readRunTotals(db)): SummaryRow[] {
  const casesByTries = db.prepare(CASES_BY_TRIES);
  const distinctCases = db.prepare(DISTINCT_CASES).pluck();
  const latencyAt = db.prepare(LATENCY_AT).pluck();
  const percentile = (row: RunTotals, q: number): number | null =>
    row.workflows === 0 ? null : (latencyAt.get(row.runId, nearestRankIndex(row.workflows, q)) as number);
  return totals.map((row) => {
    const perWorkflow = (total: number): number | null => (row.workflows === 0 ? null : total / row.workflows);
    const interval = wilsonInterval(row.correct, judgedCount(row));
    const accuracy = accuracyRate(row);
    const meanCostUsd = perWorkflow(row.cost);
    const repeats = repeatCount(row.load, row.maxRepeat);
    const tries = repeats > 1 ? (casesByTries.all(row.runId) as TriesRow[]) : [];
    // Workflow i runs case i mod n as repeat ⌊i / n⌋: without repeats, each workflow is a case of its own.
    const cases = repeats > 1 ? tries.reduce((sum, entry) => sum + entry.cases, 0) : (row.maxRepeat ?? 0) === 0 ? row.workflows : (distinctCases.get(row.runId) as number);
    return {
      runId: row.runId,
      scenario: row.scenario,
      pattern: row.pattern,
      variant: row.variant,
      seed: row.seed,
      runStatus: row.status,
      arrivals: arrivalCount(row),
      workflows: row.workflows,
      completed: row.completed,
      failed: row.failed,
      dropped: row.dropped,
      successRate: successRate(row),
      scored: row.scored,
      correct: row.correct,
      accuracy,
      accuracyLo: accuracy === null ? null : (interval?.lo ?? null),
      accuracyHi: accuracy === null ? null : (interval?.hi ?? null),
      accuracyCompleted: completedAccuracyRate(row),
      cases,
      repeats,
      passAllK: passRate(tries, repeats),
      latencyP50Ms: percentile(row, SUMMARY_QUANTILES.p50),
      latencyP95Ms: percentile(row, SUMMARY_QUANTILES.p95),
      latencyP99Ms: percentile(row, SUMMARY_QUANTILES.p99),
      meanTokens: perWorkflow(row.tokens),
      totalCostUsd: row.cost,
      meanCostUsd,
      costPer1kUsd: meanCostUsd === null ? null : meanCostUsd * 1000,
      costPerCorrectUsd: row.correct === 0 ? null : row.cost / row.correct,
      meanAgentCalls: perWorkflow(row.agentCalls),
    };
  });
}

/**
 * The `--repeat` k of a run with this load (`runs.load`) whose highest `workflows.repeat` is
 * `maxRepeat` (null: no workflows, k = 0). A run through its case list (a closed load without a
 * duration) tries each case k times, as repeats 0 … k − 1; a load that cycles through its cases
 * (open, or closed with a duration) numbers each round as a repeat too, but those are new arrivals:
 * k = 1.
 */
export function repeatCount(load: string, maxRepeat: number | null): number {
  if (maxRepeat === null) return 0;
  const model = JSON.parse(load) as { kind?: string; durationMs?: number | null };
  const cycles = model.kind === 'open' || (model.durationMs ?? null) !== null;
  return cycles ? 1 : maxRepeat + 1;
}

/** pass^k over the cases tried exactly k times; null for k ≤ 1 or when no case was tried k times. */
function passRate(tries: readonly TriesRow[], k: number): number | null {
  if (k <= 1) return null;
  const row = tries.find((entry) => entry.tries === k);
  return row === undefined ? null : row.passed / row.cases;
}
