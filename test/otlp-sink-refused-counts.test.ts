// A collector that answers with an error status did not store the batch: those spans count as not
// delivered, exactly, and apart from spans whose fate is unknown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import { rootSpan, testRun } from './support/otlp-fixtures.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const run = testRun('run-refused');

/** 250 spans in batches of 100, one export at a time, no retry: batch n is request n. */
async function exportInOrder(receiver: OtlpReceiver, timeoutMs: number): Promise<{ sink: OtlpSink; message: string }> {
  const sink = new OtlpSink({ url: receiver.url, batchSize: 100, maxInFlight: 1, retries: 0, timeoutMs });
  sink.beginRun(run);
  // No flush() on backlog: it would reject as soon as a batch is refused.
  for (let index = 0; index < 250; index++) sink.writeSpan(rootSpan(run, index));
  const reason: unknown = await sink.close().then(
    () => new Error('close() resolved'),
    (error: unknown) => error,
  );
  return { sink, message: reason instanceof Error ? reason.message : String(reason) };
}

function counts(sink: OtlpSink): Record<string, number> {
  return { exported: sink.exportedSpans, unknown: sink.unknownSpans, failed: sink.failedSpans, batches: sink.batches };
}

describe('OtlpSink and a collector that refuses batches', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('counts the refused spans as not delivered and the rest as delivered', async () => {
    receiver.failNext({ count: 2, status: 500 });
    const { sink, message } = await exportInOrder(receiver, 10_000);

    expect(message).toMatch(
      /^200 span\(s\) were not delivered to http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(50 delivered; each batch tried 1 time\(s\)\): Internal Server Error \(500\)$/,
    );
    expect(counts(sink)).toEqual({ exported: 50, unknown: 0, failed: 200, batches: 1 });
    expect(receiver.spans).toHaveLength(50);
  });

  it('keeps refused spans apart from spans that timed out', async () => {
    receiver.failNext({ count: 1, status: 500 });
    receiver.answerLateNext(1);
    const { sink, message } = await exportInOrder(receiver, 250);

    expect(message).toMatch(
      /^200 span\(s\) were not acknowledged by http:\/\/127\.0\.0\.1:\d+\/v1\/traces: 100 may have been stored by the collector but got no answer \(timed out or connection lost\), 100 were not delivered \(50 acknowledged; each batch tried 1 time\(s\)\): Request timed out; Internal Server Error \(500\)$/,
    );
    expect(counts(sink)).toEqual({ exported: 50, unknown: 100, failed: 100, batches: 1 });
    expect(receiver.lateRequests).toBe(1);
    expect(receiver.spans).toHaveLength(150);
  });
});
