import { describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/errors.ts';
import { OtlpSink } from '../harness/otlp-sink.ts';
import type { RunRecord, SpanRecord } from '../harness/records.ts';
import { closedPortUrl } from './support/otlp-receiver.ts';

const run: RunRecord = {
  runId: 'run-unreachable',
  scenario: 'triage',
  pattern: 'router',
  variant: 'baseline',
  seed: 3,
  epochMs: 1767225600000,
  config: '{}',
  startedAt: '2026-01-01T00:00:00.000Z',
};

function rootSpan(index: number): SpanRecord {
  return {
    runId: run.runId,
    traceId: (index + 1).toString(16).padStart(32, '0'),
    spanId: (index + 1).toString(16).padStart(16, '0'),
    parentSpanId: '',
    workflowId: index,
    name: 'invoke_workflow triage',
    kind: 'internal',
    startMs: index,
    endMs: index + 1,
    status: 'ok',
    statusMessage: '',
    attributes: {},
    events: [],
  };
}

describe('OtlpSink with no collector listening', () => {
  it('rejects close() with EXPORT_FAILED and the number of spans not delivered', async () => {
    const sink = new OtlpSink({ url: await closedPortUrl(), batchSize: 100, timeoutMs: 50, retries: 1 });
    sink.beginRun(run);
    for (let index = 0; index < 250; index++) {
      sink.writeSpan(rootSpan(index));
      if (sink.backlogged()) await sink.flush();
    }

    const closing = sink.close();
    await expect(closing).rejects.toBeInstanceOf(HarnessError);
    await expect(closing).rejects.toMatchObject({
      code: 'EXPORT_FAILED',
      message: expect.stringMatching(/^250 span\(s\) were not delivered to http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(0 delivered; each batch tried 2 time\(s\)\).*ECONNREFUSED/),
    });
    expect({ exported: sink.exportedSpans, failed: sink.failedSpans, batches: sink.batches }).toEqual({
      exported: 0,
      failed: 250,
      batches: 0,
    });
  });
});
