import type { Attributes, AttributeValue, SpanEvent, SpanRecord } from './records.ts';
import { randomHexId } from './rng.ts';
import { runIdsKey, TraceIdStream, type RunIdsKey } from './trace-ids.ts';

const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];

/**
 * A span being recorded. It becomes the `SpanRecord` handed to the sinks when it ends, so recording
 * allocates one object per span. Parents are passed explicitly (no context propagation: it halved
 * simulation speed when measured).
 *
 * A span may start with its attributes still to be made (`RunTracer.startTraceFrom`,
 * `startChildFrom`): they are made when first read or written, so a workflow in flight that
 * touches none holds no attribute map for its open spans (~100 B each: the root, the agent's call
 * and its model attempt).
 */
export class ActiveSpan implements SpanRecord {
  endMs = Number.NaN;
  status: SpanRecord['status'] = 'unset';
  statusMessage = '';
  /** Shared empty list until the first event (most spans have none). */
  events: SpanEvent[] = NO_EVENTS;
  /** The id stream of the span's trace (one per workflow). Private: not part of the record. */
  readonly #ids: TraceIdStream;
  #attributes: Attributes | null;
  /** What makes `#attributes` while they are still to be made; null once they are. */
  #source: AttributeSource | null;

  constructor(
    ids: TraceIdStream,
    readonly runId: string,
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string,
    readonly workflowId: number,
    readonly name: string,
    readonly kind: SpanRecord['kind'],
    readonly startMs: number,
    attributes: Attributes | null,
    source: AttributeSource | null,
  ) {
    this.#ids = ids;
    this.#attributes = attributes;
    this.#source = source;
  }

  /** The span's attributes, to read or change (made first if they are still to be). */
  get attributes(): Attributes {
    if (this.#attributes === null) {
      this.#attributes = (this.#source as AttributeSource).spanAttributes();
      this.#source = null;
    }
    return this.#attributes;
  }

  /** The trace's id stream, for its child spans. */
  idStream(): TraceIdStream {
    return this.#ids;
  }

  setAttribute(key: string, value: AttributeValue): void {
    this.attributes[key] = value;
  }

  addEvent(name: string, timeMs: number, attributes: Attributes): void {
    if (this.events === NO_EVENTS) this.events = [];
    this.events.push({ name, timeMs, attributes });
  }

  setError(errorType: string, message: string): void {
    this.status = 'error';
    this.statusMessage = message;
    this.attributes['error.type'] = errorType;
  }
}

/** Makes the attributes a span starts with, when they are first touched: a fresh object each time. */
export interface AttributeSource {
  spanAttributes(): Attributes;
}

/** Something that receives finished spans. */
export interface SpanConsumer {
  writeSpan(span: SpanRecord): void;
}

/**
 * Starts and ends the spans of one run. Trace and span ids come from a stream per workflow keyed by
 * a 128-bit hash of the run id and seed (harness/kernel/trace-ids.ts), so they are unique across
 * the runs of a sweep and a workflow's ids depend on nothing else: a resumed or sharded run gives
 * each workflow the ids it would have had, whatever ran before it or beside it.
 */
export class RunTracer {
  readonly #idsKey: RunIdsKey;

  /**
   * @param runId    the run's id, recorded on every span and hashed into its ids.
   * @param seed     the run's seed, hashed into its ids with the run id.
   * @param consumer receives each span as it ends.
   */
  constructor(
    private readonly runId: string,
    seed: number,
    private readonly consumer: SpanConsumer,
  ) {
    this.#idsKey = runIdsKey(runId, seed);
  }

  /** Starts the root span of workflow `workflowId`'s trace. */
  startTrace(name: string, workflowId: number, startMs: number, attributes: Attributes): ActiveSpan {
    return this.#root(name, workflowId, startMs, attributes, null);
  }

  /** Starts the root span of workflow `workflowId`'s trace, its attributes made by `source` when first touched. */
  startTraceFrom(name: string, workflowId: number, startMs: number, source: AttributeSource): ActiveSpan {
    return this.#root(name, workflowId, startMs, null, source);
  }

  /** Starts a child of `parent`. */
  startChild(parent: ActiveSpan, name: string, kind: SpanRecord['kind'], startMs: number, attributes: Attributes): ActiveSpan {
    return this.#child(parent, name, kind, startMs, attributes, null);
  }

  /** Starts a child of `parent`, its attributes made by `source` when first touched. */
  startChildFrom(parent: ActiveSpan, name: string, kind: SpanRecord['kind'], startMs: number, source: AttributeSource): ActiveSpan {
    return this.#child(parent, name, kind, startMs, null, source);
  }

  #root(name: string, workflowId: number, startMs: number, attributes: Attributes | null, source: AttributeSource | null): ActiveSpan {
    const ids = new TraceIdStream(this.#idsKey, workflowId);
    const traceId = randomHexId(ids, 16);
    return new ActiveSpan(ids, this.runId, traceId, randomHexId(ids, 8), '', workflowId, name, 'internal', startMs, attributes, source);
  }

  #child(parent: ActiveSpan, name: string, kind: SpanRecord['kind'], startMs: number, attributes: Attributes | null, source: AttributeSource | null): ActiveSpan {
    const ids = parent.idStream();
    return new ActiveSpan(ids, this.runId, parent.traceId, randomHexId(ids, 8), parent.spanId, parent.workflowId, name, kind, startMs, attributes, source);
  }

  /** Ends `span` at `endMs` and hands it to the sinks. */
  end(span: ActiveSpan, endMs: number): void {
    span.endMs = endMs;
    if (span.status === 'unset' && span.attributes['error.type'] === undefined) span.status = 'ok';
    this.consumer.writeSpan(span);
  }
}
