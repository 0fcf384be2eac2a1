import { afterAll, describe, expect, it } from 'vitest';
import { compareDatabases, type CellComparison, type MetricDelta } from '../reports/compare/compare.ts';
import { evaluateRules, parseFailRules } from '../reports/compare/rules.ts';
import { emptyResultsDb, insertRun, insertWindow, insertWorkflows, type WorkflowFields } from './support/threshold-db.ts';

const ok = (correct: boolean): WorkflowFields => ({ status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 100, costUsd: 0.01, correct });
const failed: WorkflowFields = { status: 'failed', intendedStartMs: 0, startMs: 0, endMs: 50, costUsd: 0.01, correct: null };
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/**
 * router: base 170 right of 200 (85 %); head fails 31 of 200 and is right on 150 of the 169 that
 * completed (88.8 % of those, 75 % of all).
 * sequential: base 100 of 100 completed; head 100 completed but 50 more arrivals were dropped.
 */
const base = emptyResultsDb();
insertRun(base, { runId: 'r', scenario: 's', pattern: 'router' });
insertWorkflows(base, 'r', [...times(170, ok(true)), ...times(30, ok(false))]);
insertRun(base, { runId: 'q', scenario: 's', pattern: 'sequential' });
insertWorkflows(base, 'q', times(100, ok(true)));
const head = emptyResultsDb();
insertRun(head, { runId: 'r', scenario: 's', pattern: 'router' });
insertWorkflows(head, 'r', [...times(150, ok(true)), ...times(19, ok(false)), ...times(31, failed)]);
insertRun(head, { runId: 'q', scenario: 's', pattern: 'sequential' });
insertWorkflows(head, 'q', times(100, ok(true)));
insertWindow(head, 'q', 0, 150, 50);
const comparison = compareDatabases(base, head, { resamples: 200 });
afterAll(() => {
  base.close();
  head.close();
});

function metric(pattern: string, name: string): MetricDelta {
  const cell = comparison.cells.find((candidate) => candidate.pattern === pattern) as CellComparison;
  return cell.metrics.find((delta) => delta.metric === name) as MetricDelta;
}

describe('compare counts every workflow meant to run in accuracy and success', () => {
  it('sees a pattern that fails more as less accurate, and fails `accuracy -2pt` on it', () => {
    const accuracy = metric('router', 'accuracy');
    expect(accuracy.base).toBe(0.85);
    expect(accuracy.head).toBe(0.75);
    expect(accuracy.delta).toBeCloseTo(-0.1, 12);
    expect(accuracy.significant).toBe(true);
    const failures = evaluateRules(comparison, parseFailRules(['accuracy -2pt']));
    // sequential breaks it too: its 50 dropped arrivals gave no right answer (100 of 150).
    expect(failures.map((failure) => failure.pattern)).toEqual(['router', 'sequential']);
  });

  it('counts dropped arrivals against success', () => {
    const success = metric('sequential', 'success');
    expect(success.base).toBe(1);
    expect(success.head).toBe(100 / 150);
    expect(success.significant).toBe(true);
  });
});
