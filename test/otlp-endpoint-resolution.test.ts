import { describe, expect, it } from 'vitest';
import { resolveTracesEndpoint } from '../reports/store/otlp-sink.ts';

describe('resolveTracesEndpoint', () => {
  it('appends /v1/traces to a base url option', () => {
    expect(resolveTracesEndpoint({ url: 'http://127.0.0.1:4318' }, {})).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveTracesEndpoint({ url: 'http://127.0.0.1:4318/' }, {})).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveTracesEndpoint({ url: 'https://collector.example/otlp' }, {})).toBe('https://collector.example/otlp/v1/traces');
  });

  it('uses a url option already ending in /v1/traces as is', () => {
    expect(resolveTracesEndpoint({ url: 'http://tempo:4318/v1/traces' }, {})).toBe('http://tempo:4318/v1/traces');
  });

  it('prefers the url option over the environment', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://a:1/x', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:2' };
    expect(resolveTracesEndpoint({ url: 'http://c:3' }, env)).toBe('http://c:3/v1/traces');
  });

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, before OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const env = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/custom/path', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:2' };
    expect(resolveTracesEndpoint({}, env)).toBe('http://jaeger:4318/custom/path');
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(resolveTracesEndpoint({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://phoenix:6006' })).toBe('http://phoenix:6006/v1/traces');
    expect(resolveTracesEndpoint({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://lf.example/api/public/otel/' })).toBe(
      'http://lf.example/api/public/otel/v1/traces',
    );
  });

  it('treats blank variables as unset and falls back to localhost:4318', () => {
    expect(resolveTracesEndpoint({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ' ', OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(
      'http://localhost:4318/v1/traces',
    );
    expect(resolveTracesEndpoint({}, {})).toBe('http://localhost:4318/v1/traces');
  });

  it('rejects a url that does not parse, naming its source', () => {
    expect(() => resolveTracesEndpoint({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT') }),
    );
  });
});
