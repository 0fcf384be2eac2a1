import { describe, expect, it } from 'vitest';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import { rootSpan, testRun } from './support/otlp-fixtures.ts';

const run = testRun('run-closed', 'supervisor');
const span = rootSpan(run, 0);

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
