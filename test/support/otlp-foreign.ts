/**
 * OTLP/JSON traces written by hand in the shapes other instrumentations emit (OpenInference,
 * Traceloop, the official GenAI instrumentation), for import and calibrate tests.
 */
import { writeFileSync } from 'node:fs';

/** 2026-01-01T00:00:00Z in nanoseconds. */
const T0 = 1_767_225_600_000_000_000n;

type Value = string | number | boolean;

/** One span to write: ids are short strings repeated to their length. */
export interface ForeignSpan {
  readonly trace: string;
  readonly id: string;
  /** '' for a root. */
  readonly parent: string;
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes?: Readonly<Record<string, Value>>;
  readonly error?: string;
  readonly events?: readonly { readonly name: string; readonly attributes: Readonly<Record<string, Value>> }[];
  /** OTLP kind; default 1 (internal). */
  readonly kind?: number;
}

const kv = (key: string, value: Value): object => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
});
const ns = (ms: number): string => String(T0 + BigInt(Math.round(ms * 1000)) * 1000n);

function spanOf(span: ForeignSpan): object {
  return {
    traceId: span.trace.repeat(32).slice(0, 32),
    spanId: span.id.repeat(16).slice(0, 16),
    parentSpanId: span.parent === '' ? '' : span.parent.repeat(16).slice(0, 16),
    name: span.name,
    kind: span.kind ?? 1,
    startTimeUnixNano: ns(span.startMs),
    endTimeUnixNano: ns(span.endMs),
    attributes: Object.entries(span.attributes ?? {}).map(([key, value]) => kv(key, value)),
    events: (span.events ?? []).map((event) => ({ name: event.name, timeUnixNano: ns(span.endMs), attributes: Object.entries(event.attributes).map(([key, value]) => kv(key, value)) })),
    status: span.error === undefined ? { code: 0 } : { code: 2, message: span.error },
  };
}

/** Writes `spans` of service `service` to `path` as one OTLP/JSON request; returns `path`. */
export function writeForeignTraces(path: string, service: string, spans: readonly ForeignSpan[]): string {
  const request = { resourceSpans: [{ resource: { attributes: [kv('service.name', service)] }, scopeSpans: [{ spans: spans.map(spanOf) }] }] };
  writeFileSync(path, `${JSON.stringify(request)}\n`);
  return path;
}
