import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import { rootSpan, testRun } from './support/otlp-fixtures.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const run = testRun('run-env', 'single-agent');

describe('OtlpSink configured by the standard OTEL_EXPORTER_OTLP_* variables', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await receiver.close();
  });

  it('exports to OTEL_EXPORTER_OTLP_ENDPOINT with its headers and compression, option headers winning', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
    vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', 'x-api-key=from-env,x-tenant=env');
    vi.stubEnv('OTEL_EXPORTER_OTLP_COMPRESSION', 'gzip');
    const sink = new OtlpSink({ headers: { 'x-tenant': 'option' } });
    expect(sink.endpoint).toBe(`${receiver.url}/v1/traces`);

    sink.beginRun(run);
    sink.writeSpan(rootSpan(run, 0, { spanId: 'b7ad6b7169203331' }));
    await sink.close();

    expect(receiver.spans.map((span) => span.spanId)).toEqual(['b7ad6b7169203331']);
    expect(receiver.lastHeaders['x-api-key']).toBe('from-env');
    expect(receiver.lastHeaders['x-tenant']).toBe('option');
    expect(receiver.lastContentEncoding).toBe('gzip');
  });
});
