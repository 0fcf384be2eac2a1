import { afterAll, describe, expect, it } from 'vitest';
import { readRunTotals } from '../reports/summary/run-totals.ts';
import { summarise, type SummaryRow } from '../reports/summary/summary.ts';
import { formatAutoscaleBlock, summariseAutoscale } from '../reports/summary/levers/autoscale.ts';
import { emptyResultsDb, insertRun, insertWorkflows, type WorkflowFields } from './support/threshold-db.ts';

const ok = (correct: boolean, costUsd: number): WorkflowFields => ({ status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 100, costUsd, correct });

/**
 * scaled: 4 workflows costing $0.01, $0.02, $0.03, $0.04 in tokens (3 right), on an autoscaled pool
 * whose replicas cost $2 (its `autoscale.pool` event). fixed: the same workflows, no pool event.
 */
const db = emptyResultsDb();
const workflows = [ok(true, 0.01), ok(true, 0.02), ok(false, 0.03), ok(true, 0.04)];
insertRun(db, { runId: 'scaled', scenario: 's', pattern: 'fanout' });
insertWorkflows(db, 'scaled', workflows);
insertRun(db, { runId: 'fixed', scenario: 's', pattern: 'sequential' });
insertWorkflows(db, 'fixed', workflows);
const detail = {
  'patternbench.autoscale.replica_hours': 0.8, 'patternbench.autoscale.spot_replica_hours': 0.5, 'patternbench.autoscale.cost_usd': 2,
  'patternbench.autoscale.peak_replicas': 4, 'patternbench.autoscale.scale_ups': 2, 'patternbench.autoscale.scale_downs': 1,
  'patternbench.autoscale.reclaims': 3, 'patternbench.autoscale.preempted_calls': 2,
  'patternbench.autoscale.busy_slot_ms': 600, 'patternbench.autoscale.serving_slot_ms': 1000,
};
db.prepare('INSERT INTO events (run_id, seq, time_ms, workflow_id, kind, subject, trace_id, detail) VALUES (?, ?, ?, NULL, ?, ?, NULL, ?)').run('scaled', 0, 1000, 'autoscale.pool', 'pool:worker', JSON.stringify(detail));
const rows = new Map(summarise(db).map((row) => [row.runId, row]));
afterAll(() => db.close());

describe('cost per workflow includes the replica-hours of autoscaled pools', () => {
  it('adds the pool’s cost to the run’s total, spread equally over its workflows', () => {
    const scaled = rows.get('scaled') as SummaryRow;
    expect(scaled.totalCostUsd).toBeCloseTo(0.1 + 2, 12);
    expect(scaled.meanCostUsd).toBeCloseTo((0.1 + 2) / 4, 12);
    expect(scaled.costPerCorrectUsd).toBeCloseTo((0.1 + 2) / 3, 12);
    const fixed = rows.get('fixed') as SummaryRow;
    expect(fixed.totalCostUsd).toBeCloseTo(0.1, 12);
  });

  it('keeps Σ cost² as if each workflow carried an equal share: Σ(x + 0.5)²', () => {
    const totals = new Map(readRunTotals(db).map((run) => [run.runId, run]));
    const expected = workflows.reduce((sum, workflow) => sum + ((workflow.costUsd as number) + 0.5) ** 2, 0);
    expect(totals.get('scaled')?.costSquare).toBeCloseTo(expected, 12);
    expect(totals.get('fixed')?.costSquare).toBeCloseTo(workflows.reduce((sum, workflow) => sum + (workflow.costUsd as number) ** 2, 0), 12);
  });

  it('prints the pool in the "autoscaled pools" block, and nothing for a file without one', () => {
    const pools = summariseAutoscale(db);
    expect(pools).toEqual([{ runId: 'scaled', pool: 'pool:worker', replicaHours: 0.8, spotReplicaHours: 0.5, costUsd: 2, peakReplicas: 4, scaleUps: 2, scaleDowns: 1, reclaims: 3, preemptedCalls: 2, meanUtilisation: 0.6 }]);
    expect(formatAutoscaleBlock(pools)).toContain('scaled pool:worker: 0.80 replica-hours (0.50 spot) $2.00 · peak 4 replicas · scale ups 2, downs 1 · reclaims 3, preempted calls 2 · mean utilisation 60.0%');
    expect(formatAutoscaleBlock([])).toBe('');
  });
});
