// A collector slower than the exporter's timeout stores the batch, but the client gives up and
// retries: the sink must not claim those spans were lost ("0 delivered"), only that their fate is
// unknown, and must count a batch acknowledged on a retry as possibly stored twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/kernel/errors.ts';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import { rootSpan, testRun } from './support/otlp-fixtures.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const run = testRun('run-slow-collector');
/** Real time the exporter waits for an answer: the receiver never answers a late request before it. */
const TIMEOUT_MS = 250;

async function writeSpans(sink: OtlpSink, count: number): Promise<void> {
  sink.beginRun(run);
  for (let index = 0; index < count; index++) {
    sink.writeSpan(rootSpan(run, index));
    if (sink.backlogged()) await sink.flush();
  }
  sink.endRun(run.runId, { status: 'completed', finishedAt: '2026-01-01T00:00:01.000Z', virtualEndMs: count });
}

function counts(sink: OtlpSink): Record<string, number> {
  return {
    exported: sink.exportedSpans,
    unknown: sink.unknownSpans,
    failed: sink.failedSpans,
    possibleDuplicates: sink.possibleDuplicateSpans,
    batches: sink.batches,
  };
}

describe('OtlpSink and a collector slower than the timeout', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('reports the timed-out spans as possibly stored, never as "0 delivered"', async () => {
    receiver.answerLateNext(1_000);
    const delays: number[] = [];
    const sink = new OtlpSink({
      url: receiver.url,
      batchSize: 100,
      timeoutMs: TIMEOUT_MS,
      retries: 1,
      retryBackoffMs: 40,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await writeSpans(sink, 250);

    const closing = sink.close();
    await expect(closing).rejects.toBeInstanceOf(HarnessError);
    const error = (await closing.catch((reason: unknown) => reason)) as HarnessError;
    expect(error.code).toBe('EXPORT_FAILED');
    expect(error.message).not.toMatch(/\b0 delivered\b/);
    expect(error.message).toMatch(
      /^250 span\(s\) were not acknowledged by http:\/\/127\.0\.0\.1:\d+\/v1\/traces: 250 may have been stored by the collector but got no answer \(timed out or connection lost\) \(0 acknowledged; each batch tried 2 time\(s\)\): Request timed out$/,
    );
    expect(counts(sink)).toEqual({ exported: 0, unknown: 250, failed: 0, possibleDuplicates: 0, batches: 0 });
    // What actually happened: the collector stored every batch, twice.
    expect(delays).toEqual([40, 40, 40]);
    expect(receiver.lateRequests).toBe(6);
    expect(receiver.spans).toHaveLength(500);
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(250);
  });

  it('counts a batch acknowledged on a retry after a timeout as delivered and possibly duplicated', async () => {
    receiver.answerLateNext(3);
    const sink = new OtlpSink({ url: receiver.url, batchSize: 100, timeoutMs: TIMEOUT_MS, retries: 1, sleep: async () => {} });
    await writeSpans(sink, 250);
    await sink.close();

    expect(counts(sink)).toEqual({ exported: 250, unknown: 0, failed: 0, possibleDuplicates: 250, batches: 3 });
    expect(receiver.lateRequests).toBe(3);
    expect(receiver.spans).toHaveLength(500);
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(250);
  });
});
