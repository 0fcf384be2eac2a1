/**
 * Reads the cells of a results file for `compare`: one per scenario × pattern × variant, pooling
 * the workflows and the dropped arrivals of every seed (run) of the cell.
 */
import type { WorkflowSample } from './bootstrap.ts';
import type { Db } from '../store/schema.ts';
import { DROPPED_BY_RUN } from '../summary/rates.ts';

/** Identifies a cell of the matrix across files (seeds pooled). */
export interface CellKey {
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
}

/** The pooled workflows of one cell. */
export interface CellSample extends CellKey {
  /** Runs (seeds) pooled. */
  readonly runs: number;
  readonly workflows: number;
  /** Workflows with status `completed`. */
  readonly completed: number;
  /** Arrivals dropped at the in-flight cap (from `timeseries`): meant to run, never started. */
  readonly dropped: number;
  /** Workflows the scorer judged. */
  readonly scored: number;
  /** Workflows judged correct. */
  readonly correct: number;
  /** Every workflow's latency (sorted) and cost. */
  readonly sample: WorkflowSample;
}

/** `scenario/pattern/variant`. */
export function cellName(key: CellKey): string {
  return `${key.scenario}/${key.pattern}/${key.variant}`;
}

const CELLS = `
SELECT r.scenario, r.pattern, r.variant,
       count(DISTINCT r.run_id)                     AS runs,
       count(w.run_id)                              AS workflows,
       coalesce(sum(w.status = 'completed'), 0)     AS completed,
       count(w.correct)                             AS scored,
       coalesce(sum(w.correct), 0)                  AS correct
FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
GROUP BY r.scenario, r.pattern, r.variant
ORDER BY r.scenario, r.pattern, r.variant`;

/** Dropped arrivals per cell, over every run (seed) of it. */
const DROPPED = `
SELECT r.scenario, r.pattern, r.variant, coalesce(sum(d.dropped), 0) AS dropped
FROM runs r JOIN (${DROPPED_BY_RUN}) d ON d.run_id = r.run_id
GROUP BY r.scenario, r.pattern, r.variant`;

const WORKFLOWS = `
SELECT w.latency_ms, w.cost_usd
FROM workflows w JOIN runs r ON r.run_id = w.run_id
WHERE r.scenario = ? AND r.pattern = ? AND r.variant = ?
ORDER BY w.latency_ms`;

type CellRow = Omit<CellSample, 'sample' | 'dropped'>;

/** Every cell of `db`, ordered by scenario, pattern, variant; each cell's workflows in memory (16 bytes each). */
export function loadCells(db: Db): CellSample[] {
  const dropped = new Map(
    (db.prepare(DROPPED).all() as (CellKey & { dropped: number })[]).map((row) => [cellName(row), row.dropped]),
  );
  const cells = (db.prepare(CELLS).all() as CellRow[]).map((cell) => ({ ...cell, dropped: dropped.get(cellName(cell)) ?? 0 }));
  const workflows = db.prepare(WORKFLOWS).raw();
  return cells.map((cell) => {
    const latencyMs = new Float64Array(cell.workflows);
    const costUsd = new Float64Array(cell.workflows);
    let i = 0;
    for (const row of workflows.iterate(cell.scenario, cell.pattern, cell.variant) as IterableIterator<[number, number]>) {
      latencyMs[i] = row[0];
      costUsd[i] = row[1];
      i++;
    }
    return { ...cell, sample: { latencyMs, costUsd } };
  });
}
