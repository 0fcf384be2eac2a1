import { describe, expect, it } from 'vitest';
import type { RunRecord, SpanRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';

const run: RunRecord = { runId: 'r1', scenario: 's', pattern: 'router', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' };
const span: SpanRecord = {
  runId: 'r1', traceId: '1'.repeat(32), spanId: '1'.repeat(16), parentSpanId: '', workflowId: 0, name: 'invoke_workflow s',
  kind: 'internal', startMs: 0, endMs: 1, status: 'ok', statusMessage: '', attributes: {}, events: [],
};
const workflow: WorkflowRecord = {
  runId: 'r1', workflowId: 0, caseId: 'c', repeat: 0, status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 1, latencyMs: 1,
  serviceMs: 1, inputTokens: 1, outputTokens: 1, cachedTokens: 0, costUsd: 0, agentCalls: 1, modelAttempts: 1, correct: true,
  score: 1, errorType: null, failedStep: null, output: null, traceId: '1'.repeat(32), facts: null, expected: null,
};
const closedError = expect.objectContaining({ name: 'HarnessError', code: 'SINK_CLOSED' });

describe('SqliteSink after close', () => {
  it('throws SINK_CLOSED for every write and rejects flush', async () => {
    const sink = SqliteSink.open(':memory:');
    sink.beginRun(run);
    await sink.close();
    expect(() => sink.beginRun(run)).toThrow(closedError);
    expect(() => sink.writeSpan(span)).toThrow(closedError);
    expect(() => sink.writeWorkflow(workflow)).toThrow(closedError);
    expect(() => sink.endRun('r1', { status: 'completed', finishedAt: 'y', virtualEndMs: 1 })).toThrow(closedError);
    await expect(sink.flush()).rejects.toThrow(closedError);
    expect(sink.db.open).toBe(false);
  });

  it('treats a second close as a no-op', async () => {
    const sink = SqliteSink.open(':memory:');
    await sink.close();
    await expect(sink.close()).resolves.toBeUndefined();
  });
});
