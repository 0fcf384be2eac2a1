/**
 * Conversion of recorded `SpanRecord`s into OpenTelemetry `ReadableSpan`s, the shape the OTLP
 * exporter ships. patternbench records spans itself on a virtual clock; the SDK is only used to
 * serialise and send them, so times, ids and status are carried over exactly as recorded.
 */
import { withOpenInferenceAliases } from './openinference.ts';
import { SpanKind, SpanStatusCode, TraceFlags, type HrTime, type SpanContext, type SpanStatus } from '@opentelemetry/api';
import { hrTimeDuration, type InstrumentationScope } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import packageJson from '../../package.json' with { type: 'json' };
import type { RunRecord, SpanEvent, SpanRecord } from '../../harness/kernel/records.ts';

/** Instrumentation scope stamped on every exported span: `patternbench` at the package version. */
export const PATTERNBENCH_SCOPE: InstrumentationScope = Object.freeze({
  name: 'patternbench',
  version: packageJson.version,
});

const NANOS_PER_MS = 1_000_000;
const NANOS_PER_SECOND = 1_000_000_000;
const MS_PER_SECOND = 1000;

/**
 * The instant `epochMs + virtualMs` as `[seconds, nanoseconds]` since the Unix epoch.
 *
 * Both operands are split into whole milliseconds (summed as exact integers) and a sub-millisecond
 * fraction rounded to the nearest nanosecond, so a fractional virtual time keeps full precision
 * even though `epochMs + virtualMs` as one double would lose the sub-microsecond digits.
 * Example: `toHrTime(1767225600000, 12345.678901)` is `[1767225612, 345678901]`.
 */
export function toHrTime(epochMs: number, virtualMs: number): HrTime {
  const epochWhole = Math.floor(epochMs);
  const virtualWhole = Math.floor(virtualMs);
  const fractionNanos =
    Math.round((epochMs - epochWhole) * NANOS_PER_MS) + Math.round((virtualMs - virtualWhole) * NANOS_PER_MS);
  const wholeMs = epochWhole + virtualWhole;
  const seconds = Math.floor(wholeMs / MS_PER_SECOND);
  const nanos = (wholeMs - seconds * MS_PER_SECOND) * NANOS_PER_MS + fractionNanos;
  const carry = Math.floor(nanos / NANOS_PER_SECOND);
  return [seconds + carry, nanos - carry * NANOS_PER_SECOND];
}

/**
 * The resource every span of a run is exported under: `service.name` = `patternbench` plus the
 * run's identity (`patternbench.run_id`, `.scenario`, `.pattern`, `.variant`, `.seed`).
 */
export function runResource(run: RunRecord): Resource {
  return resourceFromAttributes({
    'service.name': 'patternbench',
    'patternbench.run_id': run.runId,
    'patternbench.scenario': run.scenario,
    'patternbench.pattern': run.pattern,
    'patternbench.variant': run.variant,
    'patternbench.seed': run.seed,
  });
}

/**
 * One recorded span as a finished, sampled `ReadableSpan` of `resource` (see `runResource`).
 * Ids are kept as recorded; times are `run.epochMs` + the span's virtual ms (see `toHrTime`);
 * `parentSpanContext` is set only when `parentSpanId` is not empty. Attributes and events are
 * shared with the record, not copied (records are immutable), plus the OpenInference aliases of
 * the GenAI attributes (`withOpenInferenceAliases`).
 */
export function toReadableSpan(span: SpanRecord, run: RunRecord, resource: Resource): ReadableSpan {
  const context: SpanContext = { traceId: span.traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED };
  const startTime = toHrTime(run.epochMs, span.startMs);
  const endTime = toHrTime(run.epochMs, span.endMs);
  const readable: Mutable<ReadableSpan> = {
    name: span.name,
    kind: span.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => context,
    startTime,
    endTime,
    duration: hrTimeDuration(startTime, endTime),
    status: toStatus(span),
    attributes: withOpenInferenceAliases(span.attributes),
    links: [],
    events: span.events.map((event) => toTimedEvent(event, run.epochMs)),
    ended: true,
    resource,
    instrumentationScope: PATTERNBENCH_SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  if (span.parentSpanId !== '') {
    readable.parentSpanContext = { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED };
  }
  return readable;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `unset`/`ok`/`error` as an OTel status; the message is kept only on errors (as OTel requires). */
function toStatus(span: SpanRecord): SpanStatus {
  switch (span.status) {
    case 'unset':
      return { code: SpanStatusCode.UNSET };
    case 'ok':
      return { code: SpanStatusCode.OK };
    case 'error':
      return span.statusMessage === ''
        ? { code: SpanStatusCode.ERROR }
        : { code: SpanStatusCode.ERROR, message: span.statusMessage };
  }
}

function toTimedEvent(event: SpanEvent, epochMs: number): TimedEvent {
  return {
    name: event.name,
    time: toHrTime(epochMs, event.timeMs),
    attributes: event.attributes,
    droppedAttributesCount: 0,
  };
}
