/**
 * The replica cost of runs with autoscaled pools (harness/pipeline/autoscale/): each pool records
 * its replica-hours × price as an `autoscale.pool` event when its run ends. A run's cost per
 * workflow and per correct answer include it: `withReplicaCost` adds it to the run's total cost,
 * spread equally over the run's workflows (the replicas were up for all of them, idle or not).
 */
import type { Db } from '../../store/schema.ts';

/** The event kind an autoscaled pool's figures are stored under, and the detail key of its cost. */
export const POOL_EVENT = 'autoscale.pool';
const COST_KEY = '$."patternbench.autoscale.cost_usd"';

/** Σ replica cost (USD) per run, of the runs that had an autoscaled pool. */
export function readReplicaCosts(db: Db): Map<string, number> {
  const rows = db
    .prepare(`SELECT run_id AS runId, sum(json_extract(detail, '${COST_KEY}')) AS cost FROM events WHERE kind = '${POOL_EVENT}' GROUP BY run_id`)
    .all() as { runId: string; cost: number | null }[];
  return new Map(rows.map((row) => [row.runId, row.cost ?? 0]));
}

/**
 * `totals` with each run's replica cost added to `cost`, and `costSquare` as if each of its N
 * workflows carried an equal share c: Σ(x + c)² = Σx² + 2cΣx + Nc². Runs without one are returned as they are.
 */
export function withReplicaCost<T extends { readonly runId: string; readonly workflows: number; readonly cost: number; readonly costSquare: number }>(
  totals: T[],
  costs: ReadonlyMap<string, number>,
): T[] {
  if (costs.size === 0) return totals;
  return totals.map((run) => {
    const replicas = costs.get(run.runId);
    if (replicas === undefined) return run;
    const share = run.workflows === 0 ? 0 : replicas / run.workflows;
    return { ...run, cost: run.cost + replicas, costSquare: run.costSquare + 2 * share * run.cost + run.workflows * share * share };
  });
}
