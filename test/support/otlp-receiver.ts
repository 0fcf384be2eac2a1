/**
 * A tiny OTLP/HTTP trace receiver on 127.0.0.1 for tests. Accepts `POST /v1/traces` with a JSON
 * `ExportTraceServiceRequest` (gzip-encoded or not), flattens and stores every span, answers
 * `200 {}`. It can be told to fail the first N requests with a given status, or to answer the next N
 * too late (after the client gave up). Protobuf bodies are answered 415: the exporter under test is
 * configured for JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A flattened OTLP attribute value. */
export type ReceivedValue = string | number | boolean | null | readonly ReceivedValue[] | { readonly [key: string]: ReceivedValue };

/** Which OTLP `AnyValue` field carried an attribute. */
export type ReceivedValueType = 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'array' | 'kvlist' | 'empty';

/** One span as the receiver got it. */
export interface ReceivedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  /** OTLP kind number (1 internal, 3 client, …). */
  readonly kind: number;
  /** Nanoseconds since the Unix epoch, as the decimal string OTLP/JSON sends. */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly attributes: Readonly<Record<string, ReceivedValue>>;
  readonly attributeTypes: Readonly<Record<string, ReceivedValueType>>;
  readonly events: readonly { readonly name: string; readonly timeUnixNano: string; readonly attributes: Readonly<Record<string, ReceivedValue>> }[];
  readonly resource: Readonly<Record<string, ReceivedValue>>;
  readonly scope: { readonly name: string; readonly version: string };
}

/** Failure injected into the receiver's answers. */
export interface ReceiverFailure {
  /** How many of the next requests fail. */
  readonly count: number;
  /** HTTP status of the failed answers (503 is retryable for the exporter, 500 is not). */
  readonly status: number;
  /** `Retry-After` header of the failed answers; omitted when undefined. */
  readonly retryAfter?: string;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:43117` (append `/v1/traces` for the endpoint). */
  readonly url: string;
  readonly port: number;
  /** Every span received in a successful request, in arrival order. */
  readonly spans: ReceivedSpan[];
  /** The (decoded) body of every successful request, in arrival order: what a collector would store. */
  readonly bodies: Buffer[];
  /** Requests received, failed ones included. */
  readonly requests: number;
  /** Requests answered with an injected failure. */
  readonly failedRequests: number;
  /** Requests stored but never answered because the client gave up first (see `answerLateNext`). */
  readonly lateRequests: number;
  /** Content-Type and Content-Encoding of the last request. */
  readonly lastContentType: string;
  readonly lastContentEncoding: string;
  /** All headers of the last request (lower-case names). */
  readonly lastHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** Makes the next `failure.count` requests fail. */
  failNext(failure: ReceiverFailure): void;
  /**
   * Makes the next `count` requests that would succeed meet a collector slower than the client's
   * timeout: the batch is stored (it shows in `spans` and `bodies`) but the 200 answer waits until the
   * client has closed the connection, so the client never sees it. Injected failures come first.
   */
  answerLateNext(count: number): void;
  close(): Promise<void>;
}

interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
  events?: { name: string; timeUnixNano: string | number; attributes?: OtlpKeyValue[] }[];
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }[];
  }[];
}

function valueType(value: OtlpAnyValue | undefined): ReceivedValueType {
  if (value === undefined) return 'empty';
  if (value.stringValue !== undefined) return 'string';
  if (value.intValue !== undefined) return 'int';
  if (value.doubleValue !== undefined) return 'double';
  if (value.boolValue !== undefined) return 'bool';
  if (value.bytesValue !== undefined) return 'bytes';
  if (value.arrayValue !== undefined) return 'array';
  if (value.kvlistValue !== undefined) return 'kvlist';
  return 'empty';
}

function flattenValue(value: OtlpAnyValue | undefined): ReceivedValue {
  if (value === undefined) return null;
  switch (valueType(value)) {
    case 'string':
      return value.stringValue ?? null;
    case 'int':
      return Number(value.intValue);
    case 'double':
      return value.doubleValue ?? null;
    case 'bool':
      return value.boolValue ?? null;
    case 'bytes':
      return value.bytesValue ?? null;
    case 'array':
      return (value.arrayValue?.values ?? []).map(flattenValue);
    case 'kvlist':
      return flattenAttributes(value.kvlistValue?.values);
    case 'empty':
      return null;
  }
}

function flattenAttributes(list: OtlpKeyValue[] | undefined): Record<string, ReceivedValue> {
  const out: Record<string, ReceivedValue> = {};
  for (const { key, value } of list ?? []) out[key] = flattenValue(value);
  return out;
}

function attributeTypes(list: OtlpKeyValue[] | undefined): Record<string, ReceivedValueType> {
  const out: Record<string, ReceivedValueType> = {};
  for (const { key, value } of list ?? []) out[key] = valueType(value);
  return out;
}

/** Flattens one decoded request into `ReceivedSpan`s. */
export function flattenTraceRequest(request: OtlpRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = flattenAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version ?? '' };
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          name: span.name,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          kind: span.kind ?? 0,
          startTimeUnixNano: String(span.startTimeUnixNano),
          endTimeUnixNano: String(span.endTimeUnixNano),
          statusCode: span.status?.code ?? 0,
          statusMessage: span.status?.message ?? '',
          attributes: flattenAttributes(span.attributes),
          attributeTypes: attributeTypes(span.attributes),
          events: (span.events ?? []).map((event) => ({
            name: event.name,
            timeUnixNano: String(event.timeUnixNano),
            attributes: flattenAttributes(event.attributes),
          })),
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

function answer(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(body);
}

/** Starts a receiver on 127.0.0.1 on a free port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  let failuresLeft = 0;
  let failure: ReceiverFailure = { count: 0, status: 503 };
  let lateLeft = 0;
  const stats = { requests: 0, failedRequests: 0, lateRequests: 0, lastContentType: '', lastContentEncoding: '', lastHeaders: {} as IncomingMessage['headers'] };
  const spans: ReceivedSpan[] = [];
  const bodies: Buffer[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      answer(response, 404, JSON.stringify({ message: `no route ${request.method ?? ''} ${request.url ?? ''}` }));
      return;
    }
    stats.requests += 1;
    stats.lastContentType = request.headers['content-type'] ?? '';
    stats.lastContentEncoding = request.headers['content-encoding'] ?? '';
    stats.lastHeaders = request.headers;
    const body = await readBody(request);
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      stats.failedRequests += 1;
      const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'Retry-After': failure.retryAfter };
      answer(response, failure.status, JSON.stringify({ message: 'injected failure' }), headers);
      return;
    }
    if (!stats.lastContentType.startsWith('application/json')) {
      answer(response, 415, JSON.stringify({ message: 'only OTLP/JSON is supported' }));
      return;
    }
    bodies.push(body);
    for (const span of flattenTraceRequest(JSON.parse(body.toString('utf8')) as OtlpRequest)) spans.push(span);
    if (lateLeft > 0) {
      lateLeft -= 1;
      stats.lateRequests += 1;
      // Stored, but the answer would come after the client's timeout: hold it until the client hangs up.
      if (!response.destroyed) await new Promise<void>((resolve) => response.once('close', () => resolve()));
      return;
    }
    answer(response, 200, '{}');
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      answer(response, 400, JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    spans,
    bodies,
    get requests() {
      return stats.requests;
    },
    get failedRequests() {
      return stats.failedRequests;
    },
    get lateRequests() {
      return stats.lateRequests;
    },
    get lastContentType() {
      return stats.lastContentType;
    },
    get lastContentEncoding() {
      return stats.lastContentEncoding;
    },
    get lastHeaders() {
      return stats.lastHeaders;
    },
    failNext(next) {
      failure = next;
      failuresLeft = next.count;
    },
    answerLateNext(count) {
      lateLeft = count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

/** A base URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function closedPortUrl(): Promise<string> {
  const receiver = await startOtlpReceiver();
  await receiver.close();
  return receiver.url;
}
