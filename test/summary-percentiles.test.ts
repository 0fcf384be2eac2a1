import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { summarise } from '../reports/summary/summary.ts';

function workflow(runId: string, workflowId: number, latencyMs: number): WorkflowRecord {
  return {
    runId, workflowId, caseId: 'c', repeat: 0, status: 'completed', intendedStartMs: 0, startMs: 0, endMs: latencyMs, latencyMs,
    serviceMs: latencyMs, inputTokens: 1, outputTokens: 1, cachedTokens: 0, costUsd: 0, agentCalls: 1, modelAttempts: 1,
    correct: true, score: 1, errorType: null, failedStep: null, output: null, traceId: '0'.repeat(32), facts: null, expected: null,
  };
}

/** A permutation of 0..n-1 from a fixed linear congruential sequence (no ambient randomness). */
function shuffled(n: number): number[] {
  const values = Array.from({ length: n }, (_, index) => index);
  let state = 12345;
  for (let index = n - 1; index > 0; index--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const other = state % (index + 1);
    [values[index], values[other]] = [values[other] as number, values[index] as number];
  }
  return values;
}

describe('summarise latency percentiles', () => {
  it('are nearest-rank values of the run, not interpolated, whatever the insertion order', async () => {
    const sink = SqliteSink.open(':memory:');
    sink.beginRun({ runId: 'twenty', scenario: 's', pattern: 'sequential', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
    sink.beginRun({ runId: 'thousand', scenario: 's', pattern: 'fanout', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
    // 20 workflows with latencies 20, 19, …, 1 (reverse order): p50 = 10th = 10, p95 = 19th = 19, p99 = 20th = 20
    // (interpolation would give 10.5, 19.05, 19.81).
    for (let index = 0; index < 20; index++) sink.writeWorkflow(workflow('twenty', index, 20 - index));
    // 1,000 workflows with latencies 1..1000 shuffled: p50 = 500, p95 = 950, p99 = 990.
    shuffled(1000).forEach((value, index) => sink.writeWorkflow(workflow('thousand', index, value + 1)));
    await sink.flush();
    const latencies = summarise(sink.db).map((row) => [row.runId, row.latencyP50Ms, row.latencyP95Ms, row.latencyP99Ms]);
    expect(latencies).toEqual([
      ['thousand', 500, 950, 990],
      ['twenty', 10, 19, 20],
    ]);
    sink.db.close();
  });

  it('are the same with and without the latency index', async () => {
    const sink = SqliteSink.open(':memory:');
    sink.beginRun({ runId: 'r', scenario: 's', pattern: 'router', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
    shuffled(257).forEach((value, index) => sink.writeWorkflow(workflow('r', index, value * 1.5)));
    await sink.flush();
    const before = summarise(sink.db);
    sink.db.exec('CREATE INDEX workflows_latency ON workflows (run_id, latency_ms)');
    expect(summarise(sink.db)).toEqual(before);
    expect(before[0]).toMatchObject({ latencyP50Ms: 128 * 1.5, latencyP95Ms: 244 * 1.5, latencyP99Ms: 254 * 1.5 });
    sink.db.close();
  });
});
