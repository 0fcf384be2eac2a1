import { describe, expect, it } from 'vitest';
import type { SpanRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';

const RUN = 'r1';

function span(index: number): SpanRecord {
  return {
    runId: RUN, traceId: index.toString(16).padStart(32, '0'), spanId: index.toString(16).padStart(16, '0'), parentSpanId: '',
    workflowId: index, name: 'invoke_workflow t', kind: 'internal', startMs: index, endMs: index + 1, status: 'ok',
    statusMessage: '', attributes: { 'gen_ai.operation.name': 'invoke_workflow' }, events: [],
  };
}

function workflow(index: number): WorkflowRecord {
  return {
    runId: RUN, workflowId: index, caseId: 'c', repeat: 0, status: 'completed', intendedStartMs: 0, startMs: 0, endMs: index,
    latencyMs: index, serviceMs: index, inputTokens: 1, outputTokens: 1, cachedTokens: 0, costUsd: 0.001, agentCalls: 1,
    modelAttempts: 1, correct: true, score: 1, errorType: null, failedStep: null, output: null, traceId: '0'.repeat(32), facts: null, expected: null,
  };
}

function counts(sink: SqliteSink): { spans: number; workflows: number } {
  return {
    spans: sink.db.prepare('SELECT count(*) FROM spans').pluck().get() as number,
    workflows: sink.db.prepare('SELECT count(*) FROM workflows').pluck().get() as number,
  };
}

describe('SqliteSink batching', () => {
  it('writes a batch each time batchSize rows are buffered, and loses none of 100 rows with a batch size of 7', async () => {
    const sink = SqliteSink.open(':memory:', { batchSize: 7 });
    for (let index = 0; index < 70; index++) {
      sink.writeSpan(span(index));
      if (index % 7 === 6) {
        // 7 spans per loop of 7 plus 3 workflows every 7 spans interleave across batch boundaries.
        for (let extra = 0; extra < 3; extra++) sink.writeWorkflow(workflow((index - 6) / 7 * 3 + extra));
      }
    }
    // 100 rows written: 14 full batches (98 rows) are in the database, 2 are buffered.
    expect(sink.bufferedRows).toBe(2);
    const before = counts(sink);
    expect(before.spans + before.workflows).toBe(98);
    await sink.flush();
    expect(sink.bufferedRows).toBe(0);
    expect(counts(sink)).toEqual({ spans: 70, workflows: 30 });
    expect(sink.db.prepare('SELECT workflow_id FROM span_rows ORDER BY rowid').pluck().all()).toEqual(
      Array.from({ length: 70 }, (_, index) => index),
    );
    expect(sink.db.prepare('SELECT workflow_id FROM workflows ORDER BY workflow_id').pluck().all()).toEqual(
      Array.from({ length: 30 }, (_, index) => index),
    );
    await sink.close();
  });

  it('keeps rows buffered until the batch fills (default 5,000) or flush()', async () => {
    const sink = SqliteSink.open(':memory:');
    for (let index = 0; index < 4999; index++) sink.writeSpan(span(index));
    expect(counts(sink).spans).toBe(0);
    sink.writeSpan(span(4999));
    expect(counts(sink).spans).toBe(5000);
    sink.writeSpan(span(5000));
    expect(counts(sink).spans).toBe(5000);
    await sink.flush();
    expect(counts(sink).spans).toBe(5001);
    await sink.close();
  });

  it('writes what is buffered when the run ends', async () => {
    const sink = SqliteSink.open(':memory:');
    sink.beginRun({ runId: RUN, scenario: 's', pattern: 'sequential', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
    sink.writeSpan(span(0));
    sink.writeWorkflow(workflow(0));
    sink.endRun(RUN, { status: 'completed', finishedAt: 'y', virtualEndMs: 1 });
    expect(counts(sink)).toEqual({ spans: 1, workflows: 1 });
    await sink.close();
  });

  it('is never backlogged', () => {
    const sink = SqliteSink.open(':memory:', { batchSize: 1_000_000 });
    for (let index = 0; index < 10_000; index++) sink.writeSpan(span(index));
    expect(sink.backlogged()).toBe(false);
    sink.db.close();
  });

  it('rejects a batch size that is not a positive integer (USAGE)', () => {
    expect(() => SqliteSink.open(':memory:', { batchSize: 0 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => SqliteSink.open(':memory:', { batchSize: 2.5 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
