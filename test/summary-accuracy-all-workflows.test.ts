import { afterAll, describe, expect, it } from 'vitest';
import { summarise, type SummaryRow } from '../reports/summary/summary.ts';
import { emptyResultsDb, insertRun, insertWindow, insertWorkflows, type WorkflowFields } from './support/threshold-db.ts';

const ok = (correct: boolean | null): WorkflowFields => ({ status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 100, costUsd: 0.01, correct });
const failed: WorkflowFields = { status: 'failed', intendedStartMs: 0, startMs: 0, endMs: 50, costUsd: 0.01, correct: null };
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/**
 * flaky: 200 workflows, 31 failed, 169 completed (150 right, 19 wrong): 88.8 % of the completed
 * ones are right, but only 75 % of the workflows.
 * capped: an open load with an in-flight cap: 40 arrivals, 30 dropped, the 10 that ran all right.
 * unlabelled: 4 completed (2 right, 1 wrong, 1 the scorer could not judge) and 1 failed.
 */
const db = emptyResultsDb();
insertRun(db, { runId: 'flaky', scenario: 's', pattern: 'router' });
insertWorkflows(db, 'flaky', [...times(150, ok(true)), ...times(19, ok(false)), ...times(31, failed)]);
insertRun(db, { runId: 'capped', scenario: 's', pattern: 'sequential' });
insertWorkflows(db, 'capped', times(10, ok(true)));
insertWindow(db, 'capped', 0, 25, 20);
insertWindow(db, 'capped', 1000, 15, 10);
insertRun(db, { runId: 'unlabelled', scenario: 's', pattern: 'fanout' });
insertWorkflows(db, 'unlabelled', [ok(true), ok(true), ok(false), ok(null), failed]);
const rows = new Map(summarise(db).map((row) => [row.runId, row]));
afterAll(() => db.close());

const row = (runId: string): SummaryRow => rows.get(runId) as SummaryRow;

describe('summary accuracy and success count every workflow meant to run', () => {
  it('counts failed workflows as not correct in the headline accuracy, and keeps the accuracy of the completed ones beside it', () => {
    expect(row('flaky')).toMatchObject({ workflows: 200, completed: 169, failed: 31, dropped: 0, scored: 169, correct: 150 });
    expect(row('flaky').accuracy).toBe(0.75);
    expect(row('flaky').accuracyCompleted).toBe(150 / 169);
    // Wilson 95 % for 150 of 200: centre 0.74529 ± 0.05963.
    expect(row('flaky').accuracyLo).toBeCloseTo(0.6857, 4);
    expect(row('flaky').accuracyHi).toBeCloseTo(0.8049, 4);
    expect(row('flaky').successRate).toBe(169 / 200);
    // What one right answer costs: everything paid for (failures too) over the right answers.
    expect(row('flaky').costPerCorrectUsd).toBeCloseTo(2 / 150, 12);
  });

  it('counts dropped arrivals in success and accuracy, and reports them', () => {
    expect(row('capped')).toMatchObject({ workflows: 10, completed: 10, failed: 0, dropped: 30, arrivals: 40 });
    expect(row('capped').successRate).toBe(0.25);
    expect(row('capped').accuracy).toBe(0.25);
    expect(row('capped').accuracyCompleted).toBe(1);
  });

  it('leaves out of the accuracy only completed workflows the scorer could not judge', () => {
    // 5 workflows, one completed without an expected answer: 2 right of 4 judged (the failed one counts).
    expect(row('unlabelled').accuracy).toBe(0.5);
    expect(row('unlabelled').accuracyCompleted).toBe(2 / 3);
    expect(row('unlabelled').successRate).toBe(0.8);
  });
});
