import { afterAll, describe, expect, it } from 'vitest';
import { parseThresholdOrThrow, thresholdHolds } from '../harness/scenario/thresholds.ts';
import { evaluateThresholds } from '../reports/summary/threshold-eval.ts';
import { emptyResultsDb, insertRun, insertWorkflows } from './support/threshold-db.ts';

/** One run whose observed values sit exactly on the limits below: p95(latency) = 20 s, error rate 1 of 100. */
const db = emptyResultsDb();
insertRun(db, { runId: 'r', scenario: 's', pattern: 'router' });
insertWorkflows(db, 'r', Array.from({ length: 100 }, (_, id) => ({
  status: id === 0 ? 'failed' as const : 'completed' as const, intendedStartMs: 0, startMs: 0, endMs: id < 95 ? 10_000 + id : 20_000 + id * 1000,
})));
afterAll(() => db.close());

function passes(text: string): [number | null, boolean] {
  const [result] = evaluateThresholds(db, [{ spec: parseThresholdOrThrow(text), source: 'cli' }]);
  return [result?.observed ?? null, result?.passed ?? false];
}

describe('the pass/fail boundary', () => {
  it('fails a strict comparison at equality and passes an inclusive one', () => {
    // Latencies: 95 within 10 s, then 115 s … 119 s; rank ⌈0.95 · 100⌉ = 95 → 10,094 ms. Set the limit on it.
    expect(passes('p95(latency) < 10094ms')).toEqual([10_094, false]);
    expect(passes('p95(latency) <= 10094ms')).toEqual([10_094, true]);
    expect(passes('p95(latency) > 10.094s')).toEqual([10_094, false]);
    expect(passes('p95(latency) >= 10.094s')).toEqual([10_094, true]);
  });

  it('treats a percentage limit and the same fraction alike at equality', () => {
    expect(passes('error_rate < 1%')).toEqual([0.01, false]);
    expect(passes('error_rate <= 1%')).toEqual([0.01, true]);
    expect(passes('error_rate <= 0.01')).toEqual([0.01, true]);
    expect(passes('success_rate >= 99%')).toEqual([0.99, true]);
    expect(passes('success_rate > 0.99')).toEqual([0.99, false]);
  });

  it('compares by each operator on either side of the limit', () => {
    expect(([1, 2, 3] as const).map((observed) => [
      thresholdHolds('<', observed, 2), thresholdHolds('<=', observed, 2), thresholdHolds('>', observed, 2), thresholdHolds('>=', observed, 2),
    ])).toEqual([[true, true, false, false], [false, true, false, true], [false, false, true, true]]);
  });
});
