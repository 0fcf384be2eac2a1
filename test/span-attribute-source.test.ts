import { describe, expect, it } from 'vitest';
import type { Attributes, SpanRecord } from '../harness/kernel/records.ts';
import { RunTracer, type AttributeSource } from '../harness/kernel/tracer.ts';

/** A source that counts the attribute maps it makes. */
function countingSource(): AttributeSource & { made: number } {
  return {
    made: 0,
    spanAttributes(): Attributes {
      this.made++;
      return { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 0 };
    },
  };
}

describe('a span whose attributes a source makes', () => {
  it('makes none until they are touched, then once, and keeps what is written to them', () => {
    const ended: SpanRecord[] = [];
    const tracer = new RunTracer('legal-review/sequential/base/seed-1', 1, { writeSpan: (span) => ended.push(span) });
    const source = countingSource();
    const root = tracer.startTraceFrom('invoke_workflow legal-review', 3, 0, source);
    const child = tracer.startChildFrom(root, 'chat gpt', 'client', 1, source);
    // Started and in flight: no attribute map yet (what a workflow in flight saves).
    expect(source.made).toBe(0);

    child.attributes['gen_ai.usage.input_tokens'] = 120;
    child.setAttribute('gen_ai.response.finish_reasons', 'stop');
    expect(source.made).toBe(1);
    tracer.end(child, 5);
    tracer.end(root, 6);
    // The root's were made when it ended (its status is read there); each span has a map of its own.
    expect(source.made).toBe(2);
    expect(ended.map((span) => span.attributes)).toEqual([
      { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 120, 'gen_ai.response.finish_reasons': 'stop' },
      { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 0 },
    ]);
    expect(ended[0]!.attributes).toBe(ended[0]!.attributes);
    expect(ended[0]!.attributes).not.toBe(ended[1]!.attributes);
  });

  it('gives the span the ids and status a span started with its attributes would have', () => {
    const make = (): RunTracer => new RunTracer('legal-review/sequential/base/seed-1', 1, { writeSpan: () => {} });
    const [eager, lazy] = [make(), make()];
    const eagerRoot = eager.startTrace('root', 9, 0, countingSource().spanAttributes());
    const lazyRoot = lazy.startTraceFrom('root', 9, 0, countingSource());
    const eagerChild = eager.startChild(eagerRoot, 'chat', 'client', 0, countingSource().spanAttributes());
    const lazyChild = lazy.startChildFrom(lazyRoot, 'chat', 'client', 0, countingSource());
    lazyChild.setError('timeout', 'too slow');
    eagerChild.setError('timeout', 'too slow');
    expect([lazyRoot.traceId, lazyRoot.spanId, lazyChild.spanId, lazyChild.parentSpanId]).toEqual([eagerRoot.traceId, eagerRoot.spanId, eagerChild.spanId, eagerChild.parentSpanId]);
    expect(lazyChild.attributes).toEqual(eagerChild.attributes);
    expect(lazyChild.attributes['error.type']).toBe('timeout');
  });
});
