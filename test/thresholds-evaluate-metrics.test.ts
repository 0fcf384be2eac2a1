import { afterAll, describe, expect, it } from 'vitest';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import { evaluateThresholds } from '../reports/summary/threshold-eval.ts';
import { emptyResultsDb, insertQueueWaits, insertRun, insertWindow, insertWorkflows } from './support/threshold-db.ts';

/**
 * One run of 5 workflows (times in ms):
 *   #  status     intended start  end  latency service  tokens  cost   calls attempts correct
 *   0  completed    0       0   100    100     100     100+50  0.01    3     3       yes
 *   1  completed  100     150   400    300     250     200+100 0.02    3     4       no
 *   2  failed     200     200   250     50      50      50+0   0.005   1     3       –
 *   3  completed  300     400   500    200     100     100+50  0.01    3     3       yes
 *   4  completed  400     600   800    400     200     100+50  0.015   4     5       yes
 * Time series: 5 + 3 arrivals, 2 + 1 dropped. Queue waits: 10, 20, 30, 40 ms at one resource, 100 ms at another.
 */
const db = emptyResultsDb();
insertRun(db, { runId: 'seq', scenario: 'triage', pattern: 'sequential' });
insertWorkflows(db, 'seq', [
  { status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 100, inputTokens: 100, outputTokens: 50, costUsd: 0.01, agentCalls: 3, modelAttempts: 3, correct: true },
  { status: 'completed', intendedStartMs: 100, startMs: 150, endMs: 400, inputTokens: 200, outputTokens: 100, costUsd: 0.02, agentCalls: 3, modelAttempts: 4, correct: false },
  { status: 'failed', intendedStartMs: 200, startMs: 200, endMs: 250, inputTokens: 50, outputTokens: 0, costUsd: 0.005, agentCalls: 1, modelAttempts: 3, correct: null },
  { status: 'completed', intendedStartMs: 300, startMs: 400, endMs: 500, inputTokens: 100, outputTokens: 50, costUsd: 0.01, agentCalls: 3, modelAttempts: 3, correct: true },
  { status: 'completed', intendedStartMs: 400, startMs: 600, endMs: 800, inputTokens: 100, outputTokens: 50, costUsd: 0.015, agentCalls: 4, modelAttempts: 5, correct: true },
]);
insertWindow(db, 'seq', 0, 5, 2);
insertWindow(db, 'seq', 1000, 3, 1);
insertQueueWaits(db, 'seq', 'rate:openai/gpt-4o', [10, 20, 30, 40]);
insertQueueWaits(db, 'seq', 'pool:reviewer', [100]);
afterAll(() => db.close());

function observed(text: string): number | null {
  const [result] = evaluateThresholds(db, [{ spec: parseThresholdOrThrow(text), source: 'cli' }]);
  return result?.observed ?? null;
}

describe('evaluateThresholds observes each metric on a hand-built run', () => {
  it('takes nearest-rank latency percentiles (intended start → end) over every workflow', () => {
    // Sorted latencies 50, 100, 200, 300, 400: rank ⌈q·5⌉.
    expect(['p20', 'p40', 'p50', 'p80', 'p90', 'p95', 'p99.9', 'p100'].map((p) => observed(`${p}(latency) < 1s`)))
      .toEqual([50, 100, 200, 300, 400, 400, 400, 400]);
  });

  it('takes service-time percentiles (start → end) apart from latency', () => {
    // Sorted service times 50, 100, 100, 200, 250.
    expect(['p20', 'p50', 'p80', 'p95'].map((p) => observed(`${p}(service) < 1s`))).toEqual([50, 100, 200, 250]);
  });

  it('takes means and maxima of latency and service time', () => {
    expect(observed('mean(latency) < 1s')).toBe(210); // 1050 / 5
    expect(observed('max(latency) < 1s')).toBe(400);
    expect(observed('mean(service) < 1s')).toBe(140); // 700 / 5
    expect(observed('max(service) < 1s')).toBe(250);
  });

  it('computes rates over every arrival: the 5 workflows and the 3 dropped', () => {
    expect(observed('accuracy > 0')).toBe(0.375); // 3 correct of 8 (the failed and the dropped ones are not correct)
    expect(observed('success_rate > 0')).toBe(0.5); // 4 completed of 8
    expect(observed('error_rate < 1')).toBe(0.125); // 1 failed of 8
    expect(observed('dropped_rate < 1')).toBe(0.375); // 3 dropped of 8 arrivals
  });

  it('computes costs, tokens and retries per workflow', () => {
    expect(observed('cost_per_workflow < 1')).toBeCloseTo(0.012, 12); // 0.06 / 5
    expect(observed('cost_per_correct < 1')).toBeCloseTo(0.02, 12); // 0.06 / 3 correct
    expect(observed('tokens_per_workflow < 1000')).toBe(160); // 800 / 5
    expect(observed('retries_per_workflow < 1')).toBe(0.8); // (18 attempts − 14 calls) / 5
  });

  it('computes throughput as completed workflows per second from the first intended start to the last end', () => {
    expect(observed('throughput > 0')).toBe(5); // 4 completed / 0.8 s
  });

  it('merges the queue.wait histograms of every resource (HDR: within 0.1 %)', () => {
    // Waits 10, 20, 30, 40, 100: p50 = 30, p80 = 40, p100 = max = 100; mean (4 · 25 + 100) / 5 = 40.
    const cases: readonly (readonly [string, number])[] = [
      ['p50(queue_wait)', 30], ['p80(queue_wait)', 40], ['p100(queue_wait)', 100], ['max(queue_wait)', 100], ['mean(queue_wait)', 40],
    ];
    for (const [metric, exact] of cases) {
      const value = observed(`${metric} < 1s`);
      expect(value, metric).not.toBeNull();
      expect(Math.abs((value as number) - exact), metric).toBeLessThanOrEqual(exact * 0.001);
    }
  });
});
