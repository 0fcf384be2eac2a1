import { describe, expect, it } from 'vitest';
import type { WindowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * Arrivals every 100 ms for 10 s (k = 0 … 99 at 100·k ms), each workflow one 250 ms call, at most 2
 * in flight, arrivals at the cap dropped. Arrival 3j + 2 finds the two before it still running
 * (they end at 300j + 250 and 300j + 350), so it is dropped; arrival 3j finds one of them done.
 * Hence 33 drops (k ≡ 2 mod 3) and 67 workflows.
 */
const scenario = scenarioFromYaml(`
name: drop
agents:
  worker: { role: answers, model: mid-tier, latency: 250ms, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 5, labels: { a: 1 } }
patterns:
  single-agent: { agent: worker }
load: { arrivals: constant, rate: 10/s, duration: 10s, maxInFlight: 2, onFull: drop }
`);

describe('open load with an in-flight cap that drops', () => {
  it('drops the arrivals that find the cap full, counts them, and never has more than the cap in flight', async () => {
    const { outcome, sink } = await runOnce(scenario);
    const windows = sink!.aux.flatMap((record) => (record.table === 'timeseries' ? [record.row] : [])) as WindowRecord[];
    const total = (key: 'arrivals' | 'dropped' | 'started' | 'completed'): number => windows.reduce((sum, window) => sum + window[key], 0);

    expect(outcome.workflows).toBe(67);
    expect(outcome.dropped).toBe(33);
    expect(total('arrivals')).toBe(100);
    expect(total('dropped')).toBe(total('arrivals') - sink!.workflows.length);
    expect(total('dropped')).toBe(33);
    expect(total('started')).toBe(67);
    expect(total('completed')).toBe(67);
    // Which arrivals ran: every k with k mod 3 ≠ 2, each started on arrival (nothing queues).
    const intended = sink!.workflows.map((workflow) => workflow.intendedStartMs).sort((a, b) => a - b);
    expect(intended).toEqual(Array.from({ length: 100 }, (_, k) => k).filter((k) => k % 3 !== 2).map((k) => 100 * k));
    expect(sink!.workflows.every((workflow) => workflow.startMs === workflow.intendedStartMs && workflow.latencyMs === 250)).toBe(true);

    // 1 s windows: 10 of them with arrivals, plus the one holding the last end (9.9 s + 250 ms).
    expect(windows.map((window) => window.windowStartMs)).toEqual(Array.from({ length: 11 }, (_, i) => 1000 * i));
    expect(Math.max(...windows.map((window) => window.inFlightMax))).toBe(2);
    expect(windows.at(-1)?.inFlightEnd).toBe(0);
  });
});
