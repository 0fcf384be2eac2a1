import { afterAll, describe, expect, it } from 'vitest';
import { runFindings, scenarioReport } from '../reports/html/data.ts';
import { emptyResultsDb, insertRun, insertWindow, insertWorkflows, type WorkflowFields } from './support/threshold-db.ts';

const ok = (correct: boolean): WorkflowFields => ({ status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 100, costUsd: 0.01, correct });
const failed: WorkflowFields = { status: 'failed', intendedStartMs: 0, startMs: 0, endMs: 50, costUsd: 0.01, correct: null };
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/**
 * router: 170 right of 200, none failed (85 %). single-agent: 31 of 200 failed, 150 of the 169
 * completed right (88.8 % of those, 75 % of all). sequential: 100 right, 100 more arrivals dropped.
 */
const db = emptyResultsDb();
insertRun(db, { runId: 'r', scenario: 's', pattern: 'router' });
insertWorkflows(db, 'r', [...times(170, ok(true)), ...times(30, ok(false))]);
insertRun(db, { runId: 'a', scenario: 's', pattern: 'single-agent' });
insertWorkflows(db, 'a', [...times(150, ok(true)), ...times(19, ok(false)), ...times(31, failed)]);
insertRun(db, { runId: 'q', scenario: 's', pattern: 'sequential' });
insertWorkflows(db, 'q', times(100, ok(true)));
insertWindow(db, 'q', 0, 200, 100);
const report = scenarioReport(db, 's', runFindings(db));
afterAll(() => db.close());

describe('the decision matrix and the accuracy/cost chart count every workflow meant to run', () => {
  it('rates accuracy and success over all workflows, dropped arrivals included, and marks the honest winner', () => {
    const byPattern = new Map(report.matrix.map((row) => [row.pattern, row]));
    expect(byPattern.get('router')?.values.accuracy).toBe(0.85);
    expect(byPattern.get('single-agent')?.values.accuracy).toBe(0.75);
    expect(byPattern.get('single-agent')?.values.successRate).toBe(169 / 200);
    expect(byPattern.get('sequential')?.values.accuracy).toBe(0.5);
    expect(byPattern.get('sequential')?.values.successRate).toBe(0.5);
    // Completing 84.5 % and 50 % of their arrivals, single-agent and sequential fail minSuccess (95 %):
    // no star for either; router, the only viable series, has no rival to beat, so no star at all.
    expect(byPattern.get('single-agent')?.failing).toEqual(['success 84.5% < 95.0%']);
    expect(byPattern.get('sequential')?.failing).toEqual(['success 50.0% < 95.0%']);
    expect(report.matrix.flatMap((row) => row.best)).toEqual([]);
    expect(report.decision.best).toBe('router');
  });

  it('places each series on the accuracy/cost chart by its accuracy over all workflows', () => {
    const points = new Map(report.accuracyCost.map((point) => [point.label, point.accuracy]));
    expect(points.get('single-agent')).toBe(0.75);
    expect(points.get('sequential')).toBe(0.5);
  });
});
