import type { HistogramRecord, SpanRecord, WorkflowRecord } from '../kernel/records.ts';
import type { ResourceObserver } from '../pipeline/shared-resource.ts';
import { MAX_WINDOWS, WindowSeries, type WindowKind } from './window-series.ts';
import { DurationHistogram } from '../kernel/hdr.ts';
import { nearestRankIndex } from '../kernel/statistics.ts';
import { ForwardingSink } from '../../reports/store/forwarding-sink.ts';
import { SpanMetricsFold } from '../../reports/store/span-metrics.ts';
import type { RecordSink } from '../../reports/store/sink.ts';

/** Default width of a time-series window: 1 s of run time. */
export const DEFAULT_WINDOW_MS = 1000;

/** Most windows a run of known length gets by default; longer runs get wider windows. */
const MAX_DEFAULT_WINDOWS = MAX_WINDOWS;

const NICE_WINDOWS_MS = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

/** The window for a run expected to last `durationMs` (null = unknown): 1 s, or the smallest round width giving ≤ 3,600 windows. */
export function defaultWindowMs(durationMs: number | null): number {
  if (durationMs === null) return DEFAULT_WINDOW_MS;
  return NICE_WINDOWS_MS.find((width) => durationMs / width <= MAX_DEFAULT_WINDOWS) ?? (NICE_WINDOWS_MS.at(-1) as number);
}

/** The `histograms` row of `histogram`, metric `metric` and scope `scope` of run `runId`. */
export function histogramRecord(runId: string, metric: string, scope: string, histogram: DurationHistogram): HistogramRecord {
  return {
    runId, metric, scope, count: histogram.count, minMs: histogram.minMs, maxMs: histogram.maxMs, meanMs: histogram.meanMs, encoded: histogram.encode(),
  };
}

/** Nearest-rank quantile of `values` (sorted in place); null when empty. */
function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[nearestRankIndex(values.length, q)] as number;
}

/** One window of the workflow time series; latencies are kept raw for exact nearest-rank percentiles. */
class Window {
  arrivals = 0;
  dropped = 0;
  started = 0;
  completed = 0;
  failed = 0;
  agentCalls = 0;
  errors = 0;
  costUsd = 0;
  latencies: number[] = [];
  constructor(
    public inFlightMax: number,
    public inFlightEnd: number,
  ) {}
}

const WINDOWS: WindowKind<Window> = {
  create: (previous) => new Window(previous?.inFlightEnd ?? 0, previous?.inFlightEnd ?? 0),
  merge(earlier, later) {
    earlier.arrivals += later.arrivals;
    earlier.dropped += later.dropped;
    earlier.started += later.started;
    earlier.completed += later.completed;
    earlier.failed += later.failed;
    earlier.agentCalls += later.agentCalls;
    earlier.errors += later.errors;
    earlier.costUsd += later.costUsd;
    earlier.inFlightMax = Math.max(earlier.inFlightMax, later.inFlightMax);
    earlier.inFlightEnd = later.inFlightEnd;
    for (const latency of later.latencies) earlier.latencies.push(latency);
  },
};

/** One window of a shared resource's queue. */
class QueueWindow {
  admitted = 0;
  rejected = 0;
  waits: number[] = [];
  constructor(
    public queueMax: number,
    public queueEnd: number,
  ) {}
}

const QUEUE_WINDOWS: WindowKind<QueueWindow> = {
  create: (previous) => new QueueWindow(previous?.queueEnd ?? 0, previous?.queueEnd ?? 0),
  merge(earlier, later) {
    earlier.admitted += later.admitted;
    earlier.rejected += later.rejected;
    earlier.queueMax = Math.max(earlier.queueMax, later.queueMax);
    earlier.queueEnd = later.queueEnd;
    for (const wait of later.waits) earlier.waits.push(wait);
  },
};

/** The queue time series of one shared resource, and its wait histogram. */
class QueueSeries implements ResourceObserver {
  readonly waits = DurationHistogram.create();
  readonly series: WindowSeries<QueueWindow>;

  constructor(
    readonly resource: string,
    windowMs: number,
  ) {
    this.series = new WindowSeries(windowMs, QUEUE_WINDOWS);
  }

  queueLength(nowMs: number, length: number): void {
    const window = this.series.at(nowMs);
    window.queueEnd = length;
    if (length > window.queueMax) window.queueMax = length;
  }

  admitted(nowMs: number, waitMs: number): void {
    const window = this.series.at(nowMs);
    window.admitted += 1;
    window.waits.push(waitMs);
    this.waits.record(waitMs);
  }

  rejected(nowMs: number): void {
    this.series.at(nowMs).rejected += 1;
  }
}

/** Feeds each span through the run's metrics on its way to the sink. */
class SpanTap extends ForwardingSink {
  constructor(
    inner: RecordSink,
    private readonly metrics: RunMetrics,
  ) {
    super(inner);
  }

  override writeSpan(span: SpanRecord): void {
    this.metrics.span(span);
    this.inner.writeSpan(span);
  }
}

/**
 * What a run measures beside its rows: HDR histograms (workflow latency and service time, queue
 * waits, scheduling lag), the exact aggregates of every span per operation × agent × model
 * (`span_metrics`: counts, errors, tokens, cost, durations) and the time series per window of run
 * time (arrivals, drops, starts, ends, in-flight, latency p50/p95 by nearest rank, agent calls,
 * errors, cost; queue lengths and waits per shared resource). Fed by the load generator and,
 * through `tap`, by the spans themselves. At most `MAX_WINDOWS` windows are kept (they widen as a
 * run of unknown length goes on) and written by `finish`; memory grows by one number per workflow
 * and per admission (for exact window percentiles), and with the span keys, not the spans.
 */
export class RunMetrics {
  readonly latency = DurationHistogram.create();
  readonly service = DurationHistogram.create();
  /** Lateness of the real clock's timers (real-time runs only). */
  readonly lag = DurationHistogram.create();
  readonly #queues = new Map<string, QueueSeries>();
  readonly #spanMetrics = new SpanMetricsFold();
  readonly #series: WindowSeries<Window>;
  #inFlight = 0;
  #dropped = 0;

  constructor(
    private readonly runId: string,
    private readonly windowMs: number,
    private readonly sink: RecordSink,
  ) {
    this.#series = new WindowSeries(windowMs, WINDOWS);
  }

  arrival(nowMs: number): void {
    this.#series.at(nowMs).arrivals += 1;
  }

  dropped(nowMs: number): void {
    this.#series.at(nowMs).dropped += 1;
    this.#dropped += 1;
  }

  /** Arrivals dropped so far. */
  get droppedTotal(): number {
    return this.#dropped;
  }

  started(nowMs: number): void {
    const window = this.#series.at(nowMs);
    window.started += 1;
    this.#inFlight += 1;
    window.inFlightEnd = this.#inFlight;
    if (this.#inFlight > window.inFlightMax) window.inFlightMax = this.#inFlight;
  }

  ended(record: WorkflowRecord): void {
    const window = this.#series.at(record.endMs);
    this.#inFlight -= 1;
    window.inFlightEnd = this.#inFlight;
    if (record.status === 'completed') window.completed += 1;
    else window.failed += 1;
    window.costUsd += record.costUsd;
    window.latencies.push(record.latencyMs);
    this.latency.record(record.latencyMs);
    this.service.record(record.serviceMs);
  }

  /**
   * Folds each span into the run's `span_metrics` as it ends (~0.2 µs a span: ~9 % of simulating
   * a call without storing it, ~3 % of a stored run; the HDR count is an array increment,
   * `harness/kernel/hdr.ts`), and counts agent calls and failed model attempts per window.
   */
  span(span: SpanRecord): void {
    this.#spanMetrics.add(span);
    const operation = span.attributes['gen_ai.operation.name'];
    if (operation === 'invoke_agent') {
      this.#series.at(span.endMs).agentCalls += 1;
    } else if (operation === 'chat' && span.status === 'error') {
      this.#series.at(span.endMs).errors += 1;
    }
  }

  /** The observer of the shared resource `name` (its queue series and waits). */
  resource(name: string): ResourceObserver {
    let series = this.#queues.get(name);
    if (series === undefined) this.#queues.set(name, (series = new QueueSeries(name, this.windowMs)));
    return series;
  }

  /** A sink that feeds spans and workflow rows through these metrics on their way to `sink`. */
  tap(sink: RecordSink): RecordSink {
    return new SpanTap(sink, this);
  }

  /** Writes every window up to the one holding `endMs` (time series and queue series), then every histogram, then the span metrics. */
  finish(endMs: number): void {
    this.#series.at(endMs);
    const widthMs = this.#series.widthMs;
    this.#series.windows.forEach((w, index) => {
      this.sink.writeAux({
        table: 'timeseries',
        row: {
          runId: this.runId, windowStartMs: index * widthMs, windowMs: widthMs,
          arrivals: w.arrivals, dropped: w.dropped, started: w.started, completed: w.completed, failed: w.failed,
          inFlightMax: w.inFlightMax, inFlightEnd: w.inFlightEnd,
          latencyP50Ms: quantile(w.latencies, 0.5), latencyP95Ms: quantile(w.latencies, 0.95),
          agentCalls: w.agentCalls, errors: w.errors, costUsd: w.costUsd,
        },
      });
    });
    for (const queue of this.#queues.values()) {
      if (queue.series.windows.length === 0) continue;
      queue.series.at(endMs);
      const queueWidthMs = queue.series.widthMs;
      queue.series.windows.forEach((w, index) => {
        this.sink.writeAux({
          table: 'queue_series',
          row: {
            runId: this.runId, resource: queue.resource, windowStartMs: index * queueWidthMs, windowMs: queueWidthMs,
            queueMax: w.queueMax, queueEnd: w.queueEnd, admitted: w.admitted, rejected: w.rejected, waitP95Ms: quantile(w.waits, 0.95),
          },
        });
      });
    }
    const write = (metric: string, scope: string, histogram: DurationHistogram): void => {
      if (histogram.count > 0) this.sink.writeAux({ table: 'histograms', row: histogramRecord(this.runId, metric, scope, histogram) });
    };
    write('workflow.latency', '', this.latency);
    write('workflow.service', '', this.service);
    for (const [name, series] of [...this.#queues].sort(([a], [b]) => a.localeCompare(b))) write('queue.wait', name, series.waits);
    write('harness.lag', '', this.lag);
    for (const row of this.#spanMetrics.records(this.runId)) this.sink.writeAux({ table: 'span_metrics', row });
  }
}
