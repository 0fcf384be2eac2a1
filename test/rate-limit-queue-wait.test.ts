import { describe, expect, it } from 'vitest';
import type { HistogramRecord, QueueWindowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * Two agents in a chain on the same model, whose provider allows 600 requests/minute (a bucket of
 * 10, refilled at the limit, 600/min; at 590/min before issue 15). Workflows arrive at 10/s for
 * 30 s and each makes two calls: 20 requests/s against a limit of 10/s, so calls queue for the
 * shared limit.
 */
const scenario = scenarioFromYaml(`
name: limited
models:
  mid-tier:
    rateLimits: { requestsPerMinute: 600 }
agents:
  first: { role: drafts, model: mid-tier, latency: 500ms, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  second: { role: checks, model: mid-tier, latency: 500ms, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 3, labels: { a: 1 } }
patterns:
  sequential: { steps: [first, second] }
load: { arrivals: constant, rate: 10/s, duration: 30s }
`);
const RESOURCE = 'rate:openai/gpt-4.1-mini-2025-04-14';

describe('calls over a shared rate limit', () => {
  it('queue, with the wait on their chat spans, in the queue series and in the queue.wait histogram', async () => {
    const { sink } = await runOnce(scenario);
    const workflows = sink!.workflows;
    expect(workflows).toHaveLength(300);
    expect(workflows.every((workflow) => workflow.status === 'completed' && workflow.modelAttempts === 2)).toBe(true);

    const chats = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats).toHaveLength(600);
    const waits = chats.map((span) => (span.attributes['patternbench.queue.wait_ms'] as number | undefined) ?? 0);
    const waited = chats.filter((span) => span.attributes['patternbench.queue.wait_ms'] !== undefined);
    // The first bucketful went through at once; most calls after it waited, on the one shared limit.
    expect(waited.length).toBeGreaterThan(500);
    expect(waits.every((wait) => wait >= 0)).toBe(true);
    for (const span of waited) {
      expect(span.attributes['patternbench.queue.wait_ms']).toBeGreaterThan(0);
      expect(span.attributes['patternbench.queue.resource']).toBe(RESOURCE);
      // The chat span covers the wait and then the 500 ms answer.
      expect(span.endMs - span.startMs).toBeCloseTo((span.attributes['patternbench.queue.wait_ms'] as number) + 500, 6);
    }
    // Latency reflects the queue: 600 calls at ~10/s take a minute, so late workflows wait ~30 s.
    expect(Math.max(...workflows.map((workflow) => workflow.latencyMs))).toBeGreaterThan(10_000);

    const series = sink!.aux.flatMap((record) => (record.table === 'queue_series' ? [record.row] : [])) as QueueWindowRecord[];
    expect(new Set(series.map((row) => row.resource))).toEqual(new Set([RESOURCE]));
    expect(series.reduce((sum, row) => sum + row.admitted, 0)).toBe(chats.length);
    expect(series.reduce((sum, row) => sum + row.rejected, 0)).toBe(0);
    expect(Math.max(...series.map((row) => row.queueMax))).toBeGreaterThan(100);
    // Admissions per 1 s window never exceed the bucket plus one second of refill (10 + 600/60).
    expect(Math.max(...series.map((row) => row.admitted))).toBeLessThanOrEqual(10 + 600 / 60);

    const histograms = sink!.aux.flatMap((record) => (record.table === 'histograms' && record.row.metric === 'queue.wait' ? [record.row] : [])) as HistogramRecord[];
    expect(histograms.map((row) => row.scope)).toEqual([RESOURCE]);
    const [histogram] = histograms as [HistogramRecord];
    expect(histogram.count).toBe(chats.length);
    const meanWait = waits.reduce((sum, wait) => sum + wait, 0) / waits.length;
    expect(histogram.meanMs).toBeCloseTo(meanWait, 2);
    expect(histogram.maxMs).toBeCloseTo(Math.max(...waits), 2);
  });
});
