/**
 * Reading OTLP/JSON trace files: one `ExportTraceServiceRequest` object per line, as the
 * OpenTelemetry collector's file exporter writes them (a file holding a single, pretty-printed
 * object is read too). Spans are flattened with their resource's attributes; ids are lowercase hex
 * (base64 ids, which some emitters write, are converted); times stay integer nanoseconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { HarnessError } from '../kernel/errors.ts';
import type { Attributes, AttributeValue } from '../kernel/records.ts';

/** One span as read from a trace file. */
export interface ParsedSpan {
  readonly resource: Attributes;
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP kind 3 (client) is `client`; every other kind is stored as `internal`. */
  readonly kind: 'internal' | 'client';
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly status: 'unset' | 'ok' | 'error';
  readonly statusMessage: string;
  readonly attributes: Attributes;
  readonly events: readonly { readonly name: string; readonly timeNs: bigint; readonly attributes: Attributes }[];
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
interface KeyValue {
  key?: string;
  value?: AnyValue;
}
interface RawSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: KeyValue[];
  events?: { name?: string; timeUnixNano?: string | number; attributes?: KeyValue[] }[];
  status?: { code?: number | string; message?: string };
}
interface RawRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: RawSpan[] }[] }[];
}

/** Reads every span of the OTLP/JSON file at `path`; `TRACE_INVALID` (with the line) when it is not one. */
export function readOtlpFile(path: string): ParsedSpan[] {
  if (!existsSync(path)) throw new HarnessError('USAGE', `no trace file at ${path}`);
  const text = readFileSync(path, 'utf8');
  const spans: ParsedSpan[] = [];
  for (const { request, line } of requestsOf(text, path)) {
    if (typeof request !== 'object' || request === null || !Array.isArray((request as RawRequest).resourceSpans)) {
      throw invalid(path, line, 'not an OTLP/JSON ExportTraceServiceRequest (no resourceSpans array)');
    }
    for (const resourceSpans of (request as RawRequest).resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const raw of scopeSpans.spans ?? []) spans.push(parseSpan(raw, resource, path, line));
      }
    }
  }
  if (spans.length === 0) throw invalid(path, 1, 'holds no spans');
  return spans;
}

/** The JSON objects of a file: one per non-empty line, or the whole file as one object. */
function requestsOf(text: string, path: string): { request: unknown; line: number }[] {
  const lines = text.split('\n');
  const requests: { request: unknown; line: number }[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '') continue;
    try {
      requests.push({ request: JSON.parse(line), line: index + 1 });
    } catch {
      if (requests.length > 0) throw invalid(path, index + 1, 'is not valid JSON');
      try {
        return [{ request: JSON.parse(text), line: 1 }];
      } catch {
        throw invalid(path, index + 1, 'is not JSON (expected one OTLP/JSON object per line)');
      }
    }
  }
  if (requests.length === 0) throw invalid(path, 1, 'is empty');
  return requests;
}

function parseSpan(raw: RawSpan, resource: Attributes, path: string, line: number): ParsedSpan {
  const traceId = hexId(raw.traceId, 32);
  const spanId = hexId(raw.spanId, 16);
  const start = nanos(raw.startTimeUnixNano);
  const end = nanos(raw.endTimeUnixNano);
  if (traceId === null || spanId === null || start === null || end === null || typeof raw.name !== 'string') {
    throw invalid(path, line, `span ${JSON.stringify(raw.name ?? raw.spanId ?? '?')} lacks a valid traceId, spanId, name, startTimeUnixNano or endTimeUnixNano`);
  }
  const code = Number(raw.status?.code ?? 0);
  return {
    resource,
    traceId,
    spanId,
    parentSpanId: raw.parentSpanId === undefined || raw.parentSpanId === '' ? '' : (hexId(raw.parentSpanId, 16) ?? ''),
    name: raw.name,
    kind: raw.kind === 3 ? 'client' : 'internal',
    startNs: start,
    endNs: end < start ? start : end,
    status: code === 2 ? 'error' : code === 1 ? 'ok' : 'unset',
    statusMessage: raw.status?.message ?? '',
    attributes: attributesOf(raw.attributes),
    events: (raw.events ?? []).map((event) => ({ name: event.name ?? '', timeNs: nanos(event.timeUnixNano) ?? start, attributes: attributesOf(event.attributes) })),
  };
}

/** Lowercase hex of `length` digits: from hex, or from the base64 that proto3 JSON mapping writes. */
function hexId(value: string | undefined, length: number): string | null {
  if (typeof value !== 'string') return null;
  if (value.length === length && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    const hex = Buffer.from(value, 'base64').toString('hex');
    if (hex.length === length) return hex;
  }
  return null;
}

function nanos(value: string | number | undefined): bigint | null {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value));
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return null;
}

/** Flattens OTLP key-values; arrays and maps become JSON text (span attributes hold scalars). */
function attributesOf(list: KeyValue[] | undefined): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of list ?? []) {
    if (typeof key !== 'string' || value === undefined) continue;
    const scalar = scalarOf(value);
    if (scalar !== null) attributes[key] = scalar;
  }
  return attributes;
}

function scalarOf(value: AnyValue): AttributeValue | null {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined) return JSON.stringify((value.arrayValue.values ?? []).map(scalarOf));
  if (value.kvlistValue !== undefined) return JSON.stringify(attributesOf(value.kvlistValue.values));
  return null;
}

function invalid(path: string, line: number, message: string): HarnessError {
  return new HarnessError('TRACE_INVALID', `${path}:${line}: ${message}`);
}
