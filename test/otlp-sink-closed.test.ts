import { describe, expect, it } from 'vitest';
import { OtlpSink } from '../harness/otlp-sink.ts';
import type { RunRecord, SpanRecord } from '../harness/records.ts';

const run: RunRecord = {
  runId: 'run-closed',
  scenario: 'triage',
  pattern: 'supervisor',
  variant: 'baseline',
  seed: 9,
  epochMs: 1767225600000,
  config: '{}',
  startedAt: '2026-01-01T00:00:00.000Z',
};

const span: SpanRecord = {
  runId: run.runId,
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: '',
  workflowId: 0,
  name: 'invoke_workflow triage',
  kind: 'internal',
  startMs: 0,
  endMs: 1,
  status: 'ok',
  statusMessage: '',
  attributes: {},
  events: [],
};

describe('OtlpSink misuse', () => {
  it('refuses spans after close() with SINK_CLOSED', async () => {
    const sink = new OtlpSink({ url: 'http://127.0.0.1:9' });
    sink.beginRun(run);
    await sink.close();
    expect(() => sink.writeSpan(span)).toThrow(expect.objectContaining({ code: 'SINK_CLOSED' }));
  });

  it('refuses a span of a run it was not told about with USAGE', () => {
    const sink = new OtlpSink({ url: 'http://127.0.0.1:9' });
    expect(() => sink.writeSpan(span)).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining("'run-closed'") }));
  });

  it('rejects a batchSize that is not a positive integer with USAGE', () => {
    expect(() => new OtlpSink({ url: 'http://127.0.0.1:9', batchSize: 0 })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('batchSize') }),
    );
  });
});
