/**
 * The series of a scenario in the HTML report: one per pattern × variant, pooling the workflows of
 * every seed, with the per-workflow aggregates most sections need (one SQL pass over `workflows`).
 */
import type { Db } from '../store/schema.ts';
import { DROPPED_BY_RUN } from '../summary/rates.ts';

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

const SERIES = `
SELECT r.pattern, r.variant,
       count(w.run_id)                                    AS workflows,
       coalesce(sum(w.status = 'completed'), 0)           AS completed,
       count(w.correct)                                   AS scored,
       coalesce(sum(w.correct), 0)                        AS correct,
       coalesce(sum(w.input_tokens + w.output_tokens), 0) AS tokens,
       coalesce(sum(w.cost_usd), 0.0)                     AS cost,
       coalesce(sum(w.agent_calls), 0)                    AS agent_calls,
       coalesce(sum(w.model_attempts), 0)                 AS model_attempts,
       avg(w.latency_ms)                                  AS mean,
       avg(w.latency_ms * w.latency_ms)                   AS mean_square
FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
WHERE r.scenario = ?
GROUP BY r.pattern, r.variant
ORDER BY r.pattern, r.variant`;

/** Dropped arrivals per pattern × variant of a scenario. */
const DROPPED = `
SELECT r.pattern, r.variant, coalesce(sum(d.dropped), 0) AS dropped
FROM runs r JOIN (${DROPPED_BY_RUN}) d ON d.run_id = r.run_id
WHERE r.scenario = ?
GROUP BY r.pattern, r.variant`;

interface SeriesRow {
  pattern: string;
  variant: string;
  workflows: number;
  completed: number;
  scored: number;
  correct: number;
  tokens: number;
  cost: number;
  agent_calls: number;
  model_attempts: number;
  mean: number | null;
  mean_square: number | null;
}

/** Scenarios in the file, by name. */
export function listScenarios(db: Db): string[] {
  return db.prepare('SELECT DISTINCT scenario FROM runs ORDER BY scenario').pluck().all() as string[];
}

/** The series of `scenario`, ordered by pattern and variant. */
export function listSeries(db: Db, scenario: string): ReportSeries[] {
  const rows = db.prepare(SERIES).all(scenario) as SeriesRow[];
  const runs = db
    .prepare('SELECT pattern, variant, run_id, seed FROM runs WHERE scenario = ? ORDER BY seed, run_id')
    .all(scenario) as { pattern: string; variant: string; run_id: string; seed: number }[];
  const dropped = db.prepare(DROPPED).all(scenario) as { pattern: string; variant: string; dropped: number }[];
  return rows.map((row) => ({
    pattern: row.pattern,
    variant: row.variant,
    label: seriesLabel(row.pattern, row.variant),
    runIds: runs.filter((run) => run.pattern === row.pattern && run.variant === row.variant).map((run) => run.run_id),
    seeds: runs.filter((run) => run.pattern === row.pattern && run.variant === row.variant).map((run) => run.seed),
    workflows: row.workflows,
    completed: row.completed,
    dropped: dropped.find((entry) => entry.pattern === row.pattern && entry.variant === row.variant)?.dropped ?? 0,
    scored: row.scored,
    correct: row.correct,
    tokens: row.tokens,
    costUsd: row.cost,
    agentCalls: row.agent_calls,
    modelAttempts: row.model_attempts,
    latencyMeanMs: row.mean,
    latencyStdMs: row.mean === null || row.mean_square === null ? null : Math.sqrt(Math.max(0, row.mean_square - row.mean * row.mean)),
  }));
}

/** Finds the series of a pattern × variant (every query groups by both). */
export function seriesIndex(series: readonly ReportSeries[]): (pattern: string, variant: string) => number {
  const index = new Map(series.map((entry, position) => [`${entry.pattern}\u0000${entry.variant}`, position]));
  return (pattern, variant) => index.get(`${pattern}\u0000${variant}`) ?? -1;
}
