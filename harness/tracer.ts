import type { Attributes, AttributeValue, SpanEvent, SpanRecord } from './records.ts';
import { randomHexId, type SeededRng } from './rng.ts';

const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];

/**
 * A span being recorded. It becomes the `SpanRecord` handed to the sinks when it ends, so recording
 * allocates one object per span. Parents are passed explicitly (no context propagation: it halved
 * simulation speed when measured).
 */
export class ActiveSpan implements SpanRecord {
  endMs = Number.NaN;
  status: SpanRecord['status'] = 'unset';
  statusMessage = '';
  /** Shared empty list until the first event (most spans have none). */
  events: SpanEvent[] = NO_EVENTS;

  constructor(
    readonly runId: string,
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string,
    readonly workflowId: number,
    readonly name: string,
    readonly kind: SpanRecord['kind'],
    readonly startMs: number,
    readonly attributes: Attributes,
  ) {}

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

/** Something that receives finished spans. */
export interface SpanConsumer {
  writeSpan(span: SpanRecord): void;
}

/** Starts and ends the spans of one run; trace and span ids come from the run's seeded `ids` stream. */
export class RunTracer {
  constructor(
    private readonly runId: string,
    private readonly ids: SeededRng,
    private readonly consumer: SpanConsumer,
  ) {}

  /** Starts the root span of a new trace. */
  startTrace(name: string, workflowId: number, startMs: number, attributes: Attributes): ActiveSpan {
    const traceId = randomHexId(this.ids, 16);
    return new ActiveSpan(this.runId, traceId, randomHexId(this.ids, 8), '', workflowId, name, 'internal', startMs, attributes);
  }

  /** Starts a child of `parent`. */
  startChild(
    parent: ActiveSpan,
    name: string,
    kind: SpanRecord['kind'],
    startMs: number,
    attributes: Attributes,
  ): ActiveSpan {
    return new ActiveSpan(
      this.runId,
      parent.traceId,
      randomHexId(this.ids, 8),
      parent.spanId,
      parent.workflowId,
      name,
      kind,
      startMs,
      attributes,
    );
  }

  /** Ends `span` at `endMs` and hands it to the sinks. */
  end(span: ActiveSpan, endMs: number): void {
    span.endMs = endMs;
    if (span.status === 'unset' && span.attributes['error.type'] === undefined) span.status = 'ok';
    this.consumer.writeSpan(span);
  }
}
