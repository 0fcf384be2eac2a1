/**
 * `OtlpSink`: ships a run's spans to an OTLP/HTTP collector (JSON encoding) without ever dropping
 * one. Spans are converted on write, grouped into batches of `batchSize`, and exported with at most
 * `maxInFlight` requests at a time; the runner reads `backlogged()` and awaits `flush()` so memory
 * stays bounded. The SDK's BatchSpanProcessor is deliberately not used: it drops spans when its
 * queue is full, which fast simulated runs hit constantly.
 *
 * Every batch ends in one of three counters, which add up to the spans written: acknowledged
 * (`exportedSpans`), fate unknown (`unknownSpans`: no answer, so the collector may have stored them)
 * and not delivered (`failedSpans`). A retry after an unanswered attempt can store a batch twice.
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
   * Time budget of one export, the exporter's own retries included (`timeoutMillis`). An export
   * that gets no answer within it may still have been stored by the collector: see `unknownSpans`.
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

/**
 * The error the OTLP/HTTP exporter reports when the collector did not answer within `timeoutMillis`
 * (it then destroys the request, which the collector may already have processed).
 */
const EXPORTER_TIMEOUT_MESSAGE = 'Request timed out';
/** Error code of a connection lost before the answer came: the collector may have stored the batch. */
const CONNECTION_LOST_CODE = 'ECONNRESET';

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
  const protocol = new URL(url).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') throw new HarnessError('USAGE', `OTLP endpoint from ${source} must be an http: or https: URL, got '${url}'`);
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
  /**
   * Spans the collector acknowledged (a 2xx answer within `timeoutMs`), each counted once — also
   * those `possibleDuplicateSpans` the collector may hold twice.
   */
  exportedSpans = 0;
  /**
   * Spans whose fate is unknown: their batch was never acknowledged, and at least one export of it
   * got no answer (timed out, or the connection was lost) — the collector may have stored them,
   * possibly more than once. Non-zero makes `flush()` and `close()` reject.
   */
  unknownSpans = 0;
  /**
   * Spans not delivered: every export of their batch was refused (an HTTP error answer) or never
   * reached the collector (connection refused, host not found, …). Non-zero makes `flush()` and
   * `close()` reject.
   */
  failedSpans = 0;
  /**
   * Of `exportedSpans`, those acknowledged only on a retry after an unanswered export: the collector
   * may hold them twice (same trace and span ids).
   */
  possibleDuplicateSpans = 0;
  /** Batches the collector acknowledged (one request each, retries not counted). */
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
  /** Error of the last export that got no answer (behind `unknownSpans`). */
  private lastUnansweredError: unknown = undefined;
  /** Error of the last export refused or never sent (behind `failedSpans`). */
  private lastRefusedError: unknown = undefined;
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
   * `HarnessError` `EXPORT_FAILED` if any span of this sink was not acknowledged (ever); the message
   * gives the counters: spans that may have been stored (no answer), spans not delivered, spans
   * acknowledged (see `exportFailureMessage`).
   */
  async flush(): Promise<void> {
    if (this.current.length > 0) {
      this.fullBatches.push(this.current);
      this.current = [];
    }
    this.pump();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failedSpans > 0 || this.unknownSpans > 0) {
      const outcome: ExportOutcome = {
        endpoint: this.endpoint,
        exportedSpans: this.exportedSpans,
        unknownSpans: this.unknownSpans,
        failedSpans: this.failedSpans,
        possibleDuplicateSpans: this.possibleDuplicateSpans,
        retries: this.retries,
        lastUnansweredError: this.lastUnansweredError,
        lastRefusedError: this.lastRefusedError,
      };
      throw new HarnessError('EXPORT_FAILED', exportFailureMessage(outcome), {
        cause: this.unknownSpans > 0 ? this.lastUnansweredError : this.lastRefusedError,
      });
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
      const pending: Promise<void> = this.deliver(batch).then(settle);
      this.inFlight.add(pending);
    }
  }

  /**
   * Exports one batch, retrying a failed export; records the outcome in the counters. Never
   * rejects: a rejecting `sleep` ends the retries and counts as the reason of the last one.
   */
  private async deliver(batch: ReadableSpan[]): Promise<void> {
    let unanswered = false;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0 && this.sleep !== undefined) {
        try {
          await this.sleep(this.retryBackoffMs * 2 ** (attempt - 1));
        } catch (error: unknown) {
          this.lastRefusedError = error;
          break;
        }
      }
      const result = await this.exportOnce(batch);
      if (result.code === ExportResultCode.SUCCESS) {
        this.exportedSpans += batch.length;
        if (unanswered) this.possibleDuplicateSpans += batch.length;
        this.batches += 1;
        return;
      }
      const error = result.error ?? new Error('export failed without an error');
      if (gotNoAnswer(error)) {
        unanswered = true;
        this.lastUnansweredError = error;
      } else {
        this.lastRefusedError = error;
      }
    }
    if (unanswered) this.unknownSpans += batch.length;
    else this.failedSpans += batch.length;
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

/**
 * Whether a failed export got no answer, so the collector may have stored the batch anyway: the
 * exporter's timeout, or a connection lost (`ECONNRESET`) after the request may have arrived. Any
 * other failure is an answer (an HTTP error status) or a request that never reached the collector.
 */
function gotNoAnswer(error: Error): boolean {
  return error.message === EXPORTER_TIMEOUT_MESSAGE || (error as { code?: unknown }).code === CONNECTION_LOST_CODE;
}

/** What `exportFailureMessage` reports: the sink's counters and the errors behind them. */
interface ExportOutcome {
  readonly endpoint: string;
  readonly exportedSpans: number;
  readonly unknownSpans: number;
  readonly failedSpans: number;
  readonly possibleDuplicateSpans: number;
  /** Further exports of a batch after the first. */
  readonly retries: number;
  readonly lastUnansweredError: unknown;
  readonly lastRefusedError: unknown;
}

/**
 * The message of `EXPORT_FAILED`. Without unanswered exports (every failure is certain):
 * `200 span(s) were not delivered to URL (50 delivered; each batch tried 1 time(s)): <error>`.
 * With some, "delivered" is never claimed for spans the collector may hold, so they are named apart:
 * `200 span(s) were not acknowledged by URL: 100 may have been stored by the collector but got no
 * answer (timed out or connection lost), 100 were not delivered (50 acknowledged; each batch tried
 * 1 time(s)): <error of the no-answer>; <error of the refusal>`. Possible duplicates are appended
 * to the acknowledged count (`50 acknowledged, 20 of them possibly twice`).
 */
function exportFailureMessage(outcome: ExportOutcome): string {
  const { endpoint, exportedSpans, unknownSpans, failedSpans, possibleDuplicateSpans } = outcome;
  const duplicates = possibleDuplicateSpans > 0 ? `, ${possibleDuplicateSpans} of them possibly twice` : '';
  const tries = `each batch tried ${outcome.retries + 1} time(s)`;
  const errors: string[] = [];
  if (unknownSpans > 0) errors.push(describeError(outcome.lastUnansweredError));
  if (failedSpans > 0) errors.push(describeError(outcome.lastRefusedError));
  if (unknownSpans === 0) {
    return `${failedSpans} span(s) were not delivered to ${endpoint} (${exportedSpans} delivered${duplicates}; ${tries}): ${errors.join('; ')}`;
  }
  const parts = [`${unknownSpans} may have been stored by the collector but got no answer (timed out or connection lost)`];
  if (failedSpans > 0) parts.push(`${failedSpans} were not delivered`);
  return (
    `${unknownSpans + failedSpans} span(s) were not acknowledged by ${endpoint}: ${parts.join(', ')} ` +
    `(${exportedSpans} acknowledged${duplicates}; ${tries}): ${errors.join('; ')}`
  );
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
