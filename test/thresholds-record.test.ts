import { describe, expect, it } from 'vitest';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import type { Db } from '../reports/store/schema.ts';
import { evaluateThresholds, recordThresholds, thresholdsPassed } from '../reports/summary/threshold-eval.ts';
import { emptyResultsDb, insertRun, insertWorkflows } from './support/threshold-db.ts';

/** One router run: a correct workflow of 2 s and a failed one of 4 s, costing nothing. */
function fixture(): Db {
  const db = emptyResultsDb();
  insertRun(db, { runId: 'r', scenario: 's', pattern: 'router' });
  insertWorkflows(db, 'r', [
    { status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 2000, correct: true },
    { status: 'failed', intendedStartMs: 0, startMs: 0, endMs: 4000 },
  ]);
  return db;
}

const rows = (db: Db): unknown[] => db.prepare('SELECT run_id, expression, source, observed, passed FROM thresholds ORDER BY expression').all();

describe('recordThresholds', () => {
  it('writes one row per run and expression: source, observed value (null when none) and 0/1 passed', () => {
    const db = fixture();
    const results = evaluateThresholds(db, [
      { spec: parseThresholdOrThrow('router: max(latency) < 3s'), source: 'scenario', scenario: 's' },
      { spec: parseThresholdOrThrow('error_rate <= 50%'), source: 'cli' },
      { spec: parseThresholdOrThrow('p95(queue_wait) < 1s'), source: 'cli' },
    ]);
    recordThresholds(db, results);
    expect(thresholdsPassed(results)).toBe(false);
    expect(rows(db)).toEqual([
      { run_id: 'r', expression: 'error_rate <= 50%', source: 'cli', observed: 0.5, passed: 1 },
      { run_id: 'r', expression: 'p95(queue_wait) < 1s', source: 'cli', observed: null, passed: 0 },
      { run_id: 'r', expression: 'router: max(latency) < 3s', source: 'scenario', observed: 4000, passed: 0 },
    ]);
    db.close();
  });

  it('replaces the row of a threshold recorded again', () => {
    const db = fixture();
    const results = evaluateThresholds(db, [{ spec: parseThresholdOrThrow('router: max(latency) < 3s'), source: 'scenario' }]);
    recordThresholds(db, results);
    recordThresholds(db, results.map((result) => ({ ...result, source: 'cli' as const, observed: 2500, passed: true })));
    expect(rows(db)).toEqual([{ run_id: 'r', expression: 'router: max(latency) < 3s', source: 'cli', observed: 2500, passed: 1 }]);
    db.close();
  });
});
