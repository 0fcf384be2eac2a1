/**
 * `OtlpSink`: ships a run's spans to an OTLP/HTTP collector (JSON encoding) without ever dropping
 * one. Spans are converted on write, grouped into batches of `batchSize`, and exported with at most
 * `maxInFlight` requests at a time; the runner reads `backlogged()` and awaits `flush()` so memory
 * stays bounded. The SDK's BatchSpanProcessor is deliberately not used: it drops spans when its
 * queue is full, which fast simulated runs hit constantly.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RecordSink, RunEnd } from './sink.ts';
import { HarnessError } from '../../harness/kernel/errors.ts';
import { runResource, toReadableSpan } from './otlp-span.ts';
import type { AuxRecord, RunRecord, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';

/** Options of `OtlpSink`. */
export interface OtlpSinkOptions {
  /**
   * Collector URL. A base URL (`http://127.0.0.1:4318`) gets `/v1/traces` appended; a URL ending
   * in `/v1/traces` is used as is. Default: from the environment, see `resolveTracesEndpoint`.
   */
  readonly url?: string;
  /**
   * Extra HTTP headers. Default: none besides those the exporter reads itself from
   * `OTEL_EXPORTER_OTLP_HEADERS` / `OTEL_EXPORTER_OTLP_TRACES_HEADERS` (these override them).
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Spans per export request. Default 512. */
  readonly batchSize?: number;
  /** Export requests in flight at once. Default 4. */
  readonly maxInFlight?: number;
  /**
   * Time budget of one export, the exporter's own retries included (`timeoutMillis`).
   * Default: `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT` / `OTEL_EXPORTER_OTLP_TIMEOUT`, else 10 000 ms.
   */
  readonly timeoutMs?: number;
  /** Further exports of a batch the exporter gave up on, before its spans count as failed. Default 3. */
  readonly retries?: number;
  /** Delay before the first of those retries, doubled for each next one. Default 250 ms. */
  readonly retryBackoffMs?: number;
  /**
   * Waits between retries. Default: none — a retry starts at once and the exporter's own retry
   * timer (1–5 s backoff within `timeoutMs`) supplies the spacing. Inject one for extra backoff.
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The environment variables `resolveTracesEndpoint` reads (a subset of `process.env`). */
export type OtlpEnvironment = Readonly<Record<string, string | undefined>>;

/** Path of the OTLP/HTTP traces endpoint under a collector's base URL. */
const TRACES_PATH = 'v1/traces';
/** Where the OTLP specification says a collector listens when nothing is configured. */
const DEFAULT_TRACES_ENDPOINT = 'http://localhost:4318/v1/traces';

/**
 * The traces endpoint an `OtlpSink` exports to, in this order: `options.url` (with `/v1/traces`
 * appended unless it already ends so); `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is;
 * `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/traces` appended; `http://localhost:4318/v1/traces`.
 * Blank variables count as unset (as in the OTel SDK). Throws `HarnessError` `USAGE` for a URL
 * that does not parse, naming where it came from.
 */
export function resolveTracesEndpoint(options: Pick<OtlpSinkOptions, 'url'>, env: OtlpEnvironment): string {
  if (options.url !== undefined) return validUrl(appendTracesPath(options.url), 'the url option');
  const specific = nonBlank(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  if (specific !== undefined) return validUrl(specific, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = nonBlank(env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  if (base !== undefined) return validUrl(appendTracesPath(base), 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return DEFAULT_TRACES_ENDPOINT;
}

function appendTracesPath(url: string): string {
  const trimmed = url.trim();
  if (trimmed.endsWith(`/${TRACES_PATH}`)) return trimmed;
  return trimmed.endsWith('/') ? `${trimmed}${TRACES_PATH}` : `${trimmed}/${TRACES_PATH}`;
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function validUrl(url: string, source: string): string {
  if (!URL.canParse(url)) throw new HarnessError('USAGE', `OTLP endpoint from ${source} is not a valid URL: '${url}'`);
  return url;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 1) {
    throw new HarnessError('USAGE', `OtlpSink option ${name} must be a positive integer, got ${resolved}`);
  }
  return resolved;
}

function nonNegative(value: number | undefined, fallback: number, name: string, integer: boolean): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < 0 || (integer && !Number.isInteger(resolved))) {
    throw new HarnessError('USAGE', `OtlpSink option ${name} must be a non-negative ${integer ? 'integer' : 'number'}, got ${resolved}`);
  }
  return resolved;
}

/** A sink that exports spans over OTLP/HTTP (JSON). Workflows are not exported. */
export class OtlpSink implements RecordSink {
  /** The traces endpoint in use (see `resolveTracesEndpoint`). */
  readonly endpoint: string;
  /** Spans the collector accepted. */
  exportedSpans = 0;
  /** Spans given up on after every retry; non-zero makes `flush()` and `close()` reject. */
  failedSpans = 0;
  /** Batches the collector accepted (one request each, retries not counted). */
  batches = 0;

  private readonly exporter: OTLPTraceExporter;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly retries: number;
  private readonly retryBackoffMs: number;
  private readonly sleep: ((ms: number) => Promise<void>) | undefined;
  private readonly resources = new Map<string, { readonly run: RunRecord; readonly resource: Resource }>();
  /** Spans of the batch being filled. */
  private current: ReadableSpan[] = [];
  /** Full batches waiting for an export slot. */
  private readonly fullBatches: ReadableSpan[][] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private lastError: unknown = undefined;
  private closed = false;

  constructor(options: OtlpSinkOptions = {}) {
    this.batchSize = positiveInteger(options.batchSize, 512, 'batchSize');
    this.maxInFlight = positiveInteger(options.maxInFlight, 4, 'maxInFlight');
    this.retries = nonNegative(options.retries, 3, 'retries', true);
    this.retryBackoffMs = nonNegative(options.retryBackoffMs, 250, 'retryBackoffMs', false);
    this.sleep = options.sleep;
    this.endpoint = resolveTracesEndpoint(options, process.env);
    this.exporter = new OTLPTraceExporter({
      url: this.endpoint,
      // A retry of ours may start before the exporter has released the slot of the failed attempt.
      concurrencyLimit: this.maxInFlight * 2,
      ...(options.headers === undefined ? {} : { headers: { ...options.headers } }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMillis: positiveInteger(options.timeoutMs, 1, 'timeoutMs') }),
    });
  }

  beginRun(run: RunRecord): void {
    this.assertOpen();
    this.resources.set(run.runId, { run, resource: runResource(run) });
  }

  writeSpan(span: SpanRecord): void {
    this.assertOpen();
    const entry = this.resources.get(span.runId);
    if (entry === undefined) {
      throw new HarnessError('USAGE', `OtlpSink got span ${span.spanId} of run '${span.runId}' outside beginRun/endRun`);
    }
    this.current.push(toReadableSpan(span, entry.run, entry.resource));
    if (this.current.length >= this.batchSize) {
      this.fullBatches.push(this.current);
      this.current = [];
      this.pump();
    }
  }

  /** Workflows are SQLite rows, not spans: nothing to export. */
  writeWorkflow(_workflow: WorkflowRecord): void {
    this.assertOpen();
  }

  /** Histograms, time series and events are SQLite rows, not spans: nothing to export. */
  writeAux(_record: AuxRecord): void {
    this.assertOpen();
  }

  /** Forgets the run's resource; its spans already written are still exported. */
  endRun(runId: string, _end: RunEnd): void {
    this.assertOpen();
    this.resources.delete(runId);
  }

  /**
   * True when every export slot is busy and a full batch is waiting for one, or more than
   * 4 × `batchSize` spans are queued: the caller should await `flush()` before writing more.
   */
  backlogged(): boolean {
    const queued = this.current.length + this.fullBatches.length * this.batchSize;
    return (this.inFlight.size >= this.maxInFlight && this.fullBatches.length > 0) || queued > 4 * this.batchSize;
  }

  /** Resolves once the backlog is exported (the OTLP sink relieves backpressure by flushing). */
  ready(): Promise<void> {
    return this.flush();
  }

  /**
   * Exports every span written so far and waits for all exports to settle. Rejects with
   * `HarnessError` `EXPORT_FAILED` if any span of this sink could not be delivered (ever).
   */
  async flush(): Promise<void> {
    if (this.current.length > 0) {
      this.fullBatches.push(this.current);
      this.current = [];
    }
    this.pump();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failedSpans > 0) {
      throw new HarnessError(
        'EXPORT_FAILED',
        `${this.failedSpans} span(s) were not delivered to ${this.endpoint} ` +
          `(${this.exportedSpans} delivered; each batch tried ${this.retries + 1} time(s)): ${describeError(this.lastError)}`,
        { cause: this.lastError },
      );
    }
  }

  /** Flushes, then shuts the exporter down (also when the flush rejects). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      await this.exporter.shutdown();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new HarnessError('SINK_CLOSED', 'OtlpSink is closed');
  }

  /** Starts exports of ready batches while slots are free. */
  private pump(): void {
    while (this.inFlight.size < this.maxInFlight) {
      const batch = this.fullBatches.shift();
      if (batch === undefined) return;
      const settle = (): void => {
        this.inFlight.delete(pending);
        this.pump();
      };
      const pending: Promise<void> = this.deliver(batch)
        .catch((error: unknown) => {
          // Only an injected `sleep` can reject; the batch was not delivered.
          this.lastError = error;
          this.failedSpans += batch.length;
        })
        .then(settle);
      this.inFlight.add(pending);
    }
  }

  /** Exports one batch, retrying a failed export; records the outcome in the counters. */
  private async deliver(batch: ReadableSpan[]): Promise<void> {
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0 && this.sleep !== undefined) await this.sleep(this.retryBackoffMs * 2 ** (attempt - 1));
      const result = await this.exportOnce(batch);
      if (result.code === ExportResultCode.SUCCESS) {
        this.exportedSpans += batch.length;
        this.batches += 1;
        return;
      }
      this.lastError = result.error ?? new Error('export failed without an error');
    }
    this.failedSpans += batch.length;
  }

  private exportOnce(batch: ReadableSpan[]): Promise<ExportResult> {
    return new Promise((resolve) => {
      try {
        this.exporter.export(batch, resolve);
      } catch (error: unknown) {
        resolve({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    });
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
