import { describe, expect, it } from 'vitest';
import { RunTracer, type ActiveSpan, type SpanConsumer } from '../harness/kernel/tracer.ts';

const DISCARD: SpanConsumer = { writeSpan: () => {} };
const RUN = 'support-routing/router/base/seed-7';

/** Trace id, then root and `children` span ids of each workflow in `order`, children started in turn across the workflows. */
function idsOf(tracer: RunTracer, order: readonly number[], children: number): Map<number, string[]> {
  const roots = new Map<number, ActiveSpan>(order.map((workflowId) => [workflowId, tracer.startTrace('invoke_workflow', workflowId, 0, {})]));
  const ids = new Map<number, string[]>([...roots].map(([workflowId, root]) => [workflowId, [root.traceId, root.spanId]]));
  for (let child = 0; child < children; child++) {
    for (const workflowId of order) ids.get(workflowId)!.push(tracer.startChild(roots.get(workflowId)!, 'chat', 'client', 0, {}).spanId);
  }
  return ids;
}

describe('trace and span ids of a workflow', () => {
  it('are the same for the same run id and seed, whatever other workflows run and in what order', () => {
    const alone = idsOf(new RunTracer(RUN, 7, DISCARD), [41], 6).get(41);
    const crowd = idsOf(new RunTracer(RUN, 7, DISCARD), [90, 3, 41, 17, 2 ** 40], 6);
    expect(crowd.get(41)).toEqual(alone);
    expect(idsOf(new RunTracer(RUN, 7, DISCARD), [2 ** 40, 17, 41, 3, 90], 6)).toEqual(crowd);
  });

  it('change with the seed or the run id alone', () => {
    const ids = (runId: string, seed: number): string[] => idsOf(new RunTracer(runId, seed, DISCARD), [0], 3).get(0)!;
    const base = ids(RUN, 7);
    for (const other of [ids(RUN, 8), ids('support-routing/router/keyword-rules/seed-7', 7)]) {
      other.forEach((id, index) => expect(id).not.toBe(base[index]));
    }
  });

  it('continue after a skip where the stream would have been (what a resumed workflow relies on)', () => {
    const tracer = new RunTracer(RUN, 7, DISCARD);
    const whole = tracer.startTrace('invoke_workflow', 5, 0, {});
    const spans = [1, 2, 3, 4, 5].map(() => tracer.startChild(whole, 'chat', 'client', 0, {}).spanId);
    const resumed = tracer.startTrace('invoke_workflow', 5, 0, {});
    // Skip the three children the checkpoints say were made (two words per span id).
    resumed.idStream().skipTo(resumed.idStream().draws + 3 * 2);
    expect([4, 5].map(() => tracer.startChild(resumed, 'chat', 'client', 0, {}).spanId)).toEqual(spans.slice(3));
    expect(resumed.idStream().draws).toBe(whole.idStream().draws);
  });

  it('are lowercase hex of 32 (trace) and 16 (span) characters', () => {
    const tracer = new RunTracer(RUN, 7, DISCARD);
    for (let workflowId = 0; workflowId < 1000; workflowId++) {
      const root = tracer.startTrace('invoke_workflow', workflowId, 0, {});
      expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(root.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
