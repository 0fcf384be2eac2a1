// The normal path: a collector that acknowledges every batch in time; every span counts as
// delivered once, nothing as unknown, failed or possibly duplicated.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import { rootSpan, testRun } from './support/otlp-fixtures.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const run = testRun('run-acknowledged');

describe('OtlpSink and a collector that acknowledges every batch', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('counts every span as delivered once and resolves close()', async () => {
    const sink = new OtlpSink({ url: receiver.url, batchSize: 100, sleep: async () => {} });
    sink.beginRun(run);
    for (let index = 0; index < 1000; index++) {
      sink.writeSpan(rootSpan(run, index));
      if (sink.backlogged()) await sink.flush();
    }
    await sink.close();

    expect({
      exported: sink.exportedSpans,
      unknown: sink.unknownSpans,
      failed: sink.failedSpans,
      possibleDuplicates: sink.possibleDuplicateSpans,
      batches: sink.batches,
    }).toEqual({ exported: 1000, unknown: 0, failed: 0, possibleDuplicates: 0, batches: 10 });
    expect(receiver.requests).toBe(10);
    expect(receiver.lateRequests).toBe(0);
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(1000);
    expect(receiver.spans).toHaveLength(1000);
  });
});
