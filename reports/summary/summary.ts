/**
 * The per-run summary: SQL over the `runs` and `workflows` tables (see `reports/store/SCHEMA.md`).
 * Aggregates take one pass over `workflows`; each latency percentile is one walk of the
 * `workflows_latency` index (`ORDER BY latency_ms LIMIT 1 OFFSET k`), so the summary stays cheap on
 * millions of rows and nothing is held in memory but one row per run.
 */
import type { Db } from '../store/schema.ts';
import { nearestRankIndex, wilsonInterval } from '../../harness/kernel/statistics.ts';

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
  /** Workflows recorded. */
  readonly workflows: number;
  /** Workflows with status `completed`. */
  readonly completed: number;
  /** Workflows with status `failed`. */
  readonly failed: number;
  /** completed ÷ workflows. */
  readonly successRate: number | null;
  /** Workflows the scorer judged (`correct` not NULL). */
  readonly scored: number;
  /** Workflows judged correct. */
  readonly correct: number;
  /** correct ÷ scored. */
  readonly accuracy: number | null;
  /** Lower end of the 95 % Wilson score interval on `accuracy`. */
  readonly accuracyLo: number | null;
  /** Upper end of the 95 % Wilson score interval on `accuracy`. */
  readonly accuracyHi: number | null;
  /** Distinct cases run. */
  readonly cases: number;
  /** Tries per case (`--repeat` k): the most any case was run; 0 without workflows. */
  readonly repeats: number;
  /**
   * pass^k: the share of cases right on every one of their k tries (a failed try is not right).
   * With k = 1 it is the share of workflows right, failures included. Null without cases.
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
  /** totalCostUsd ÷ correct: what one right answer costs (failures and wrong answers included). */
  readonly costPerCorrectUsd: number | null;
  /** Mean agent calls per workflow. */
  readonly meanAgentCalls: number | null;
}

interface AggregateRow {
  run_id: string;
  scenario: string;
  pattern: string;
  variant: string;
  seed: number;
  status: string;
  workflows: number;
  completed: number;
  failed: number;
  scored: number;
  correct: number;
  tokens: number;
  cost: number;
  agent_calls: number;
}

const AGGREGATES = `
SELECT r.run_id, r.scenario, r.pattern, r.variant, r.seed, r.status,
       count(w.run_id)                                  AS workflows,
       coalesce(sum(w.status = 'completed'), 0)         AS completed,
       coalesce(sum(w.status = 'failed'), 0)            AS failed,
       count(w.correct)                                 AS scored,
       coalesce(sum(w.correct), 0)                      AS correct,
       coalesce(sum(w.input_tokens + w.output_tokens), 0) AS tokens,
       coalesce(sum(w.cost_usd), 0.0)                   AS cost,
       coalesce(sum(w.agent_calls), 0)                  AS agent_calls
FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
GROUP BY r.run_id
ORDER BY r.scenario, r.pattern, r.variant, r.seed, r.run_id`;

/** Per run: cases, the most tries of a case, and cases right on every try (failed tries: correct NULL). */
const PASS_ALL_K = `
SELECT run_id, count(*) AS cases, max(tries) AS repeats, sum(all_right) AS passed
FROM (SELECT run_id, case_id, count(*) AS tries, coalesce(min(coalesce(correct, 0)), 0) AS all_right
      FROM workflows GROUP BY run_id, case_id)
GROUP BY run_id`;

interface PassRow {
  run_id: string;
  cases: number;
  repeats: number;
  passed: number;
}

const LATENCY_AT = 'SELECT latency_ms FROM workflows WHERE run_id = ? ORDER BY latency_ms LIMIT 1 OFFSET ?';

/** Summarises every run in `db`, ordered by scenario, pattern, variant, seed. */
export function summarise(db: Db): SummaryRow[] {
  const aggregates = db.prepare(AGGREGATES).all() as AggregateRow[];
  const passes = new Map((db.prepare(PASS_ALL_K).all() as PassRow[]).map((row) => [row.run_id, row]));
  const latencyAt = db.prepare(LATENCY_AT).pluck();
  const percentile = (row: AggregateRow, q: number): number | null =>
    row.workflows === 0 ? null : (latencyAt.get(row.run_id, nearestRankIndex(row.workflows, q)) as number);
  return aggregates.map((row) => {
    const perWorkflow = (total: number): number | null => (row.workflows === 0 ? null : total / row.workflows);
    const interval = wilsonInterval(row.correct, row.scored);
    const meanCostUsd = perWorkflow(row.cost);
    return {
      runId: row.run_id,
      scenario: row.scenario,
      pattern: row.pattern,
      variant: row.variant,
      seed: row.seed,
      runStatus: row.status,
      workflows: row.workflows,
      completed: row.completed,
      failed: row.failed,
      successRate: perWorkflow(row.completed),
      scored: row.scored,
      correct: row.correct,
      accuracy: row.scored === 0 ? null : row.correct / row.scored,
      accuracyLo: interval?.lo ?? null,
      accuracyHi: interval?.hi ?? null,
      cases: passes.get(row.run_id)?.cases ?? 0,
      repeats: passes.get(row.run_id)?.repeats ?? 0,
      passAllK: passRate(passes.get(row.run_id)),
      latencyP50Ms: percentile(row, SUMMARY_QUANTILES.p50),
      latencyP95Ms: percentile(row, SUMMARY_QUANTILES.p95),
      latencyP99Ms: percentile(row, SUMMARY_QUANTILES.p99),
      meanTokens: perWorkflow(row.tokens),
      totalCostUsd: row.cost,
      meanCostUsd,
      costPer1kUsd: meanCostUsd === null ? null : meanCostUsd * 1000,
      costPerCorrectUsd: row.correct === 0 ? null : row.cost / row.correct,
      meanAgentCalls: perWorkflow(row.agent_calls),
    };
  });
}

function passRate(row: PassRow | undefined): number | null {
  return row === undefined || row.cases === 0 ? null : row.passed / row.cases;
}
