import { describe, expect, it } from 'vitest';
import type { RunRecord, SpanRecord } from '../harness/kernel/records.ts';
import { MemorySink } from '../reports/store/memory-sink.ts';

const run: RunRecord = { runId: 'a', scenario: 's', pattern: 'fanout', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' };
const span: SpanRecord = {
  runId: 'a', traceId: 't'.repeat(32), spanId: 's'.repeat(16), parentSpanId: '', workflowId: 0, name: 'invoke_workflow s',
  kind: 'internal', startMs: 0, endMs: 1, status: 'ok', statusMessage: '', attributes: {}, events: [],
};
const closedError = expect.objectContaining({ name: 'HarnessError', code: 'SINK_CLOSED' });

describe('MemorySink after close', () => {
  it('throws SINK_CLOSED for every write, rejects flush, and keeps what it recorded readable', async () => {
    const sink = new MemorySink();
    sink.beginRun(run);
    sink.writeSpan(span);
    await sink.close();
    expect(sink.isClosed).toBe(true);
    expect(() => sink.beginRun(run)).toThrow(closedError);
    expect(() => sink.writeSpan(span)).toThrow(closedError);
    expect(() => sink.writeWorkflow({} as never)).toThrow(closedError);
    expect(() => sink.endRun('a', { status: 'completed', finishedAt: 'y', virtualEndMs: 1 })).toThrow(closedError);
    await expect(sink.flush()).rejects.toThrow(closedError);
    await expect(sink.close()).resolves.toBeUndefined();
    expect(sink.spans).toEqual([span]);
  });
});
