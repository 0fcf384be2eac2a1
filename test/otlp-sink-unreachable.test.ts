import { describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/kernel/errors.ts';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import { rootSpan, testRun } from './support/otlp-fixtures.ts';
import { closedPortUrl } from './support/otlp-receiver.ts';

const run = testRun('run-unreachable');


describe('OtlpSink with no collector listening', () => {
  it('rejects close() with EXPORT_FAILED and the number of spans not delivered', async () => {
    const sink = new OtlpSink({ url: await closedPortUrl(), batchSize: 100, timeoutMs: 50, retries: 1 });
    sink.beginRun(run);
    for (let index = 0; index < 250; index++) {
      sink.writeSpan(rootSpan(run, index));
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
