import { afterAll, describe, expect, it } from 'vitest';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import { evaluateThresholds } from '../reports/summary/threshold-eval.ts';
import { emptyResultsDb, insertRun, insertWindow, insertWorkflows, type WorkflowFields } from './support/threshold-db.ts';

const ok = (correct: boolean): WorkflowFields => ({ status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 100, costUsd: 0.01, correct });
const failed: WorkflowFields = { status: 'failed', intendedStartMs: 0, startMs: 0, endMs: 50, costUsd: 0.01, correct: null };
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/**
 * flaky: 200 workflows, 31 failed, 150 of the 169 completed right (88.8 % of the completed, 75 % of all).
 * capped: 100 arrivals, 20 dropped; of the 80 that ran, 8 failed and 72 completed right.
 */
const db = emptyResultsDb();
insertRun(db, { runId: 'flaky', scenario: 's', pattern: 'router' });
insertWorkflows(db, 'flaky', [...times(150, ok(true)), ...times(19, ok(false)), ...times(31, failed)]);
insertRun(db, { runId: 'capped', scenario: 's', pattern: 'sequential' });
insertWorkflows(db, 'capped', [...times(72, ok(true)), ...times(8, failed)]);
insertWindow(db, 'capped', 0, 100, 20);
afterAll(() => db.close());

function result(runId: string, text: string): { observed: number | null; passed: boolean } | undefined {
  const found = evaluateThresholds(db, [{ spec: parseThresholdOrThrow(text), source: 'cli' }]).find((row) => row.runId === runId);
  return found === undefined ? undefined : { observed: found.observed, passed: found.passed };
}

describe('rate thresholds count every workflow meant to run', () => {
  it('fails `accuracy > 85%` on a run right on 88.8 % of its completed workflows but 75 % of all', () => {
    expect(result('flaky', 'accuracy > 85%')).toEqual({ observed: 0.75, passed: false });
  });

  it('counts dropped arrivals: success, errors and drops split the arrivals', () => {
    expect(result('capped', 'success_rate > 0')?.observed).toBe(0.72); // 72 completed of 100 arrivals
    expect(result('capped', 'error_rate < 1')?.observed).toBe(0.08); // 8 failed of 100
    expect(result('capped', 'dropped_rate < 1')?.observed).toBe(0.2); // 20 dropped of 100
    expect(result('capped', 'accuracy > 0')?.observed).toBe(0.72); // 72 right of 100
    expect(result('capped', 'cost_per_correct < 1')?.observed).toBeCloseTo(0.8 / 72, 12);
  });
});
