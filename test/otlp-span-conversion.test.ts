import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { runResource, toHrTime, toReadableSpan } from '../reports/store/otlp-span.ts';
import type { RunRecord, SpanRecord } from '../harness/kernel/records.ts';

const EPOCH_MS = 1767225600000; // 2026-01-01T00:00:00Z

const run: RunRecord = {
  runId: 'run-1',
  scenario: 'legal-review',
  pattern: 'sequential',
  variant: 'baseline',
  seed: 42,
  epochMs: EPOCH_MS,
  config: '{}',
  startedAt: '2026-01-01T00:00:00.000Z',
};

function span(overrides: Partial<SpanRecord>): SpanRecord {
  return {
    runId: 'run-1',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    workflowId: 0,
    name: 'invoke_workflow legal-review',
    kind: 'internal',
    startMs: 0,
    endMs: 1,
    status: 'unset',
    statusMessage: '',
    attributes: {},
    events: [],
    ...overrides,
  };
}

describe('toHrTime', () => {
  it('keeps every nanosecond of a fractional virtual time on a 2026 epoch', () => {
    // Summed as one double the nanoseconds would come out as 345678955.
    expect(toHrTime(EPOCH_MS, 12345.678901)).toEqual([1767225612, 345678901]);
  });

  it('maps virtual zero to the epoch itself', () => {
    expect(toHrTime(EPOCH_MS, 0)).toEqual([1767225600, 0]);
  });

  it('resolves a single nanosecond after a whole day', () => {
    expect(toHrTime(EPOCH_MS, 86_400_000.000001)).toEqual([1767312000, 1]);
  });

  it('carries a fraction that rounds up to a whole second into the seconds', () => {
    expect(toHrTime(EPOCH_MS, 999.9999999)).toEqual([1767225601, 0]);
  });

  it('adds a fractional epoch and a fractional offset', () => {
    expect(toHrTime(0.5, 1.25)).toEqual([0, 1_750_000]);
  });
});

describe('toReadableSpan', () => {
  const resource = runResource(run);

  it('sets start, end and duration from the epoch plus virtual ms', () => {
    const readable = toReadableSpan(span({ startMs: 12345.678901, endMs: 13345.678902 }), run, resource);
    expect(readable.startTime).toEqual([1767225612, 345678901]);
    expect(readable.endTime).toEqual([1767225613, 345678902]);
    expect(readable.duration).toEqual([1, 1]);
    expect(readable.ended).toBe(true);
  });

  it('keeps the recorded ids and marks the span sampled', () => {
    const readable = toReadableSpan(span({}), run, resource);
    expect(readable.spanContext()).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
  });

  it('has no parent context for a root span', () => {
    expect(toReadableSpan(span({}), run, resource).parentSpanContext).toBeUndefined();
  });

  it('links a child to its parent in the same trace', () => {
    const readable = toReadableSpan(span({ spanId: '00f067aa0ba902b7', parentSpanId: 'b7ad6b7169203331' }), run, resource);
    expect(readable.parentSpanContext).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
  });

  it('maps kinds: internal to INTERNAL, client to CLIENT', () => {
    expect(toReadableSpan(span({ kind: 'internal' }), run, resource).kind).toBe(SpanKind.INTERNAL);
    expect(toReadableSpan(span({ kind: 'client' }), run, resource).kind).toBe(SpanKind.CLIENT);
  });

  it('maps status unset, ok and error (with its message)', () => {
    expect(toReadableSpan(span({ status: 'unset' }), run, resource).status).toEqual({ code: SpanStatusCode.UNSET });
    expect(toReadableSpan(span({ status: 'ok' }), run, resource).status).toEqual({ code: SpanStatusCode.OK });
    expect(toReadableSpan(span({ status: 'error', statusMessage: 'rate limited' }), run, resource).status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'rate limited',
    });
  });

  it('carries attributes (with their OpenInference aliases) and events, with event times as HrTime', () => {
    const readable = toReadableSpan(
      span({
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 812 },
        events: [{ name: 'gen_ai.evaluation.result', timeMs: 2.5, attributes: { correct: true } }],
      }),
      run,
      resource,
    );
    expect(readable.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 812,
      'openinference.span.kind': 'LLM',
      'llm.token_count.prompt': 812,
    });
    expect(readable.events).toEqual([
      { name: 'gen_ai.evaluation.result', time: [1767225600, 2_500_000], attributes: { correct: true }, droppedAttributesCount: 0 },
    ]);
    expect(readable.links).toEqual([]);
  });

  it('stamps the resource and the patternbench instrumentation scope', () => {
    const readable = toReadableSpan(span({}), run, resource);
    expect(readable.resource).toBe(resource);
    expect(readable.instrumentationScope.name).toBe('patternbench');
    expect(readable.instrumentationScope.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('runResource', () => {
  it('names the service patternbench and identifies the run', () => {
    expect(runResource(run).attributes).toEqual({
      'service.name': 'patternbench',
      'patternbench.run_id': 'run-1',
      'patternbench.scenario': 'legal-review',
      'patternbench.pattern': 'sequential',
      'patternbench.variant': 'baseline',
      'patternbench.seed': 42,
    });
  });
});
