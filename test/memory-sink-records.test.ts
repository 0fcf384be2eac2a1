import { describe, expect, it } from 'vitest';
import type { RunRecord, SpanRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import { MemorySink } from '../reports/store/memory-sink.ts';

const run = (runId: string): RunRecord => ({ runId, scenario: 's', pattern: 'supervisor', variant: 'base', seed: 3, epochMs: 0, config: '{}', startedAt: 'x' });
const span = (runId: string, workflowId: number, spanId: string): SpanRecord => ({
  runId, traceId: 't'.repeat(32), spanId, parentSpanId: '', workflowId, name: 'invoke_workflow s', kind: 'internal',
  startMs: 0, endMs: 1, status: 'ok', statusMessage: '', attributes: { 'gen_ai.operation.name': 'invoke_workflow' }, events: [],
});
const workflow = (runId: string, workflowId: number): WorkflowRecord => ({
  runId, workflowId, caseId: 'c', repeat: 0, status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 1, latencyMs: 1,
  serviceMs: 1, inputTokens: 1, outputTokens: 1, cachedTokens: 0, costUsd: 0, agentCalls: 1, modelAttempts: 1, correct: true,
  score: 1, errorType: null, failedStep: null, output: null, traceId: 't'.repeat(32), facts: null, expected: null,
});

describe('MemorySink', () => {
  it('keeps runs, spans, workflows and run ends in arrival order, unchanged', async () => {
    const sink = new MemorySink();
    const records = { runs: [run('a'), run('b')], spans: [span('a', 0, '1'), span('b', 0, '2'), span('a', 1, '3')], workflows: [workflow('a', 0), workflow('b', 0)] };
    sink.beginRun(records.runs[0] as RunRecord);
    sink.writeSpan(records.spans[0] as SpanRecord);
    sink.beginRun(records.runs[1] as RunRecord);
    sink.writeSpan(records.spans[1] as SpanRecord);
    sink.writeWorkflow(records.workflows[0] as WorkflowRecord);
    sink.writeSpan(records.spans[2] as SpanRecord);
    sink.writeWorkflow(records.workflows[1] as WorkflowRecord);
    sink.endRun('b', { status: 'interrupted', finishedAt: 'y', virtualEndMs: 5 });
    sink.endRun('a', { status: 'completed', finishedAt: 'z', virtualEndMs: 9 });
    await sink.flush();
    expect(sink.runs).toEqual(records.runs);
    expect(sink.spans).toEqual(records.spans);
    expect(sink.spans[0]).toBe(records.spans[0]);
    expect(sink.workflows).toEqual(records.workflows);
    expect(sink.runEnds).toEqual([
      { runId: 'b', status: 'interrupted', finishedAt: 'y', virtualEndMs: 5 },
      { runId: 'a', status: 'completed', finishedAt: 'z', virtualEndMs: 9 },
    ]);
    expect(sink.flushes).toBe(1);
    expect(sink.backlogged()).toBe(false);
    expect(sink.spansOf('a', 1)).toEqual([records.spans[2]]);
  });

  it('refuses endRun for a run it never began (USAGE), like SqliteSink', () => {
    const sink = new MemorySink();
    expect(() => sink.endRun('ghost', { status: 'completed', finishedAt: 'y', virtualEndMs: 0 })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('ghost') }),
    );
  });
});
