import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import type { SpanRecord } from '../harness/kernel/records.ts';
import { rootSpan, testRun } from './support/otlp-fixtures.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const run = testRun('run-retry', 'fanout');

/** `count` root spans with fixed ids, one per trace. */
function rootSpans(count: number): SpanRecord[] {
  return Array.from({ length: count }, (_, index) =>
    rootSpan(run, index, { endMs: index + 0.5, attributes: { 'gen_ai.operation.name': 'invoke_workflow' } }),
  );
}

async function writeAll(sink: OtlpSink, spans: readonly SpanRecord[]): Promise<void> {
  sink.beginRun(run);
  for (const span of spans) {
    sink.writeSpan(span);
    if (sink.backlogged()) await sink.flush();
  }
  await sink.close();
}

describe('OtlpSink retries', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('loses nothing when the collector answers 503 at first (the exporter retries)', async () => {
    receiver.failNext({ count: 3, status: 503, retryAfter: '0' });
    const sink = new OtlpSink({ url: receiver.url, batchSize: 100, retries: 0 });
    await writeAll(sink, rootSpans(1000));

    expect(receiver.failedRequests).toBe(3);
    expect(receiver.requests).toBe(13);
    expect(receiver.spans).toHaveLength(1000);
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(1000);
    expect({ exported: sink.exportedSpans, failed: sink.failedSpans, batches: sink.batches }).toEqual({
      exported: 1000,
      failed: 0,
      batches: 10,
    });
  });

  it('loses nothing when the collector answers 500 at first (the sink retries, backing off)', async () => {
    receiver.failNext({ count: 2, status: 500 });
    const delays: number[] = [];
    const sink = new OtlpSink({
      url: receiver.url,
      batchSize: 100,
      maxInFlight: 1,
      retryBackoffMs: 40,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await writeAll(sink, rootSpans(1000));

    expect(delays).toEqual([40, 80]);
    expect(receiver.failedRequests).toBe(2);
    expect(receiver.spans).toHaveLength(1000);
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(1000);
    expect({ exported: sink.exportedSpans, failed: sink.failedSpans }).toEqual({ exported: 1000, failed: 0 });
  });
});
