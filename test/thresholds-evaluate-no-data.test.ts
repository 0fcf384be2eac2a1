import { afterAll, describe, expect, it } from 'vitest';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import { evaluateThresholds } from '../reports/summary/threshold-eval.ts';
import { emptyResultsDb, insertRun, insertWorkflows } from './support/threshold-db.ts';

/**
 * failing: two failed workflows (nothing scored, nothing correct), no time series, no histograms.
 * empty: no workflows at all. instant: one workflow that ended at its intended start.
 */
const db = emptyResultsDb();
insertRun(db, { runId: 'failing', scenario: 's', pattern: 'router' });
insertWorkflows(db, 'failing', [
  { status: 'failed', intendedStartMs: 0, startMs: 0, endMs: 500, costUsd: 0.002 },
  { status: 'failed', intendedStartMs: 0, startMs: 0, endMs: 1500, costUsd: 0.002 },
]);
insertRun(db, { runId: 'empty', scenario: 's', pattern: 'fanout' });
insertRun(db, { runId: 'instant', scenario: 's', pattern: 'sequential' });
insertWorkflows(db, 'instant', [{ status: 'completed', intendedStartMs: 5, startMs: 5, endMs: 5 }]);
afterAll(() => db.close());

function outcome(runId: string, text: string): { observed: number | null; passed: boolean; reason: string | null } | undefined {
  const result = evaluateThresholds(db, [{ spec: parseThresholdOrThrow(text), source: 'cli' }]).find((row) => row.runId === runId);
  return result === undefined ? undefined : { observed: result.observed, passed: result.passed, reason: result.reason };
}

describe('a metric without data fails with a reason', () => {
  it('fails accuracy when completed workflows could not be scored, and cost per correct answer when nothing was correct', () => {
    expect(outcome('instant', 'accuracy >= 0')).toEqual({ observed: null, passed: false, reason: 'no workflow was scored' });
    // Every workflow failed: none was correct, which is an accuracy of 0, not a missing one.
    expect(outcome('failing', 'accuracy > 0')).toEqual({ observed: 0, passed: false, reason: null });
    expect(outcome('failing', 'cost_per_correct < 100')).toEqual({ observed: null, passed: false, reason: 'no workflow was correct' });
  });

  it('fails queue-wait thresholds on a run without queue.wait histograms', () => {
    expect(outcome('failing', 'p95(queue_wait) < 1h')).toEqual({
      observed: null, passed: false, reason: 'no queue.wait histogram was recorded (no shared resource, or an older results file)',
    });
  });

  it('fails every workflow metric on a run without workflows', () => {
    for (const text of ['p95(latency) < 1h', 'mean(service) < 1h', 'error_rate <= 1', 'tokens_per_workflow >= 0', 'throughput >= 0']) {
      expect(outcome('empty', text), text).toEqual({ observed: null, passed: false, reason: 'the run has no workflows' });
    }
  });

  it('fails throughput when no virtual time elapsed', () => {
    expect(outcome('instant', 'throughput >= 0')).toEqual({
      observed: null, passed: false, reason: 'no virtual time elapsed between the first intended start and the last end',
    });
  });

  it('still observes what has data: zero throughput, no drops without a time series', () => {
    expect(outcome('failing', 'throughput > 0')).toEqual({ observed: 0, passed: false, reason: null });
    expect(outcome('failing', 'dropped_rate <= 0')).toEqual({ observed: 0, passed: true, reason: null });
    expect(outcome('empty', 'dropped_rate <= 0')).toEqual({ observed: 0, passed: true, reason: null });
  });
});
