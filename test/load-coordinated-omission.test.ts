import { describe, expect, it } from 'vitest';
import type { Agent, AgentCall, AttemptResult } from '../harness/pipeline/call.ts';
import { materialiseCases } from '../harness/run/cases.ts';
import type { HistogramRecord } from '../harness/kernel/records.ts';
import { executeRun } from '../harness/run/runner.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { MemorySink } from '../reports/store/memory-sink.ts';
import { scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(`
name: stall
agents:
  worker: { role: answers, model: mid-tier, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 1, labels: { a: 1 } }
patterns:
  single-agent: { agent: worker }
load: { arrivals: constant, rate: 10/s, duration: 2s, maxInFlight: 1, onFull: queue }
`);

/** Answers every call in 20 ms, except workflow `stalled`'s, which takes 5 s. */
function scriptedAgent(clock: VirtualClock, stalled: number): Agent {
  return {
    name: 'worker',
    honoursDeadline: true, // no call comes near the 120 s timeout
    async invoke(call: AgentCall): Promise<AttemptResult> {
      await clock.sleep(call.workflow.workflowId === stalled ? 5000 : 20);
      return { status: 'ok', output: { agent: 'worker', label: 'a', tokens: 10 }, usage: { inputTokens: 100, outputTokens: 10, cachedTokens: 0 } };
    },
  };
}

describe('coordinated omission under an open load', () => {
  it('shows a stall in the latency (from the intended start) of the workflows queued behind it, not in their service time', async () => {
    const clock = new VirtualClock();
    const sink = new MemorySink();
    const outcome = await executeRun(
      { scenario, pattern: 'single-agent', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load: scenario.load },
      sink,
      clock,
      { agents: new Map([['worker', scriptedAgent(clock, 3)]]) },
    );
    // Arrivals every 100 ms for 2 s: k = 0 … 19 at 100·k ms. At most one in flight; the rest queue.
    expect(outcome.workflows).toBe(20);
    expect(outcome.dropped).toBe(0);
    const rows = [...sink.workflows].sort((a, b) => a.workflowId - b.workflowId);
    rows.forEach((row, k) => {
      expect(row.intendedStartMs).toBe(100 * k);
      if (k < 3) {
        // Before the stall: served on arrival.
        expect(row).toMatchObject({ startMs: 100 * k, endMs: 100 * k + 20, latencyMs: 20, serviceMs: 20 });
      } else if (k === 3) {
        // The stall itself: 300 → 5,300.
        expect(row).toMatchObject({ startMs: 300, endMs: 5300, latencyMs: 5000, serviceMs: 5000 });
      } else {
        // Queued behind it: starts when the one before ends, 5,300 + 20·(k − 4); takes 20 ms; its
        // latency counts the wait from its intended start: 5,320 + 20·(k − 4) − 100·k = 5,240 − 80·k.
        expect(row.startMs).toBeCloseTo(5300 + 20 * (k - 4), 9);
        expect(row.serviceMs).toBeCloseTo(20, 9);
        expect(row.latencyMs).toBeCloseTo(5240 - 80 * k, 9);
      }
    });
    expect(outcome.virtualEndMs).toBeCloseTo(5300 + 16 * 20, 9);

    // The histograms tell the same story: mean latency (3 × 20 + 5,000 + Σ_{k=4}^{19} (5,240 − 80k))/20
    // = 74,180/20 = 3,709 ms against a mean service time of (19 × 20 + 5,000)/20 = 269 ms.
    const histogram = (metric: string): HistogramRecord =>
      sink.aux.flatMap((record) => (record.table === 'histograms' && record.row.metric === metric ? [record.row] : []))[0] as HistogramRecord;
    expect(histogram('workflow.latency').meanMs).toBeCloseTo(3709, 6);
    expect(histogram('workflow.service').meanMs).toBeCloseTo(269, 6);
    expect(histogram('workflow.latency').minMs).toBe(20);
    expect(histogram('workflow.service').maxMs).toBe(5000);
  });
});
