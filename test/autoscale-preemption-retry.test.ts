import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';
import type { MemorySink } from '../reports/store/memory-sink.ts';

/**
 * Spot replicas through the whole call pipeline: one agent on one 1-slot spot replica, reclaimed
 * about every 10 s (360 per replica-hour) and replaced at once, kept busy by 3 workflows at a time.
 * Every call in flight at a reclaim ends its attempt as `preempted` and is retried.
 */
const SCENARIO = `
name: spot-retry
models:
  steady:
    extends: small-fast
    faults: { error: 0, timeout: 0, rateLimit: 0 }
agents:
  worker:
    role: works
    model: steady
    outputTokens: 200
    retry: { attempts: 20, initialBackoff: 100ms, jitter: 0 }
    pool:
      slotsPerReplica: 1
      replicas: { min: 1, max: 1 }
      costPerReplicaHour: 3
      spot: { reclaimPerHour: 360, costPerReplicaHour: 1 }
cases:
  generate: { count: 150, labels: { a: 1 } }
patterns:
  single-agent: { agent: worker, absorbs: [] }
load: { concurrency: 3 }
`;

function poolFigures(sink: MemorySink): Record<string, number> {
  const row = sink.aux.find((record) => record.table === 'events' && (record.row as { kind: string }).kind === 'autoscale.pool')?.row as { detail: string };
  return JSON.parse(row.detail) as Record<string, number>;
}

function eventsOf(sink: MemorySink, kind: string): { timeMs: number; detail: Record<string, number> }[] {
  return sink.aux
    .filter((record) => record.table === 'events' && (record.row as { kind: string }).kind === kind)
    .map((record) => ({ timeMs: (record.row as { timeMs: number }).timeMs, detail: JSON.parse((record.row as { detail: string }).detail) as Record<string, number> }));
}

describe('calls on a reclaimed spot replica', () => {
  it('are preempted and retried: the pool’s count, the preempted attempts and the retries agree exactly', async () => {
    const { sink } = await runOnce(scenarioFromYaml(SCENARIO));
    const memory = sink as MemorySink;
    const figures = poolFigures(memory);
    const preempted = figures['patternbench.autoscale.preempted_calls'] as number;
    const reclaims = figures['patternbench.autoscale.reclaims'] as number;
    const attempts = memory.spans.filter((span) => span.name.startsWith('chat') && span.attributes['error.type'] === 'preempted');
    const retries = memory.spans.flatMap((span) => span.events.filter((event) => event.name === 'retry' && event.attributes['error.type'] === 'preempted'));
    expect(preempted).toBeGreaterThan(10);
    expect(attempts).toHaveLength(preempted);
    expect(retries).toHaveLength(preempted);
    // One slot, always busy while workflows wait: each reclaim cuts the one call in flight, but those once the queue has drained.
    const lastStart = Math.max(...memory.workflows.map((workflow) => workflow.startMs));
    const busyReclaims = eventsOf(memory, 'autoscale.reclaim').filter((event) => event.timeMs < lastStart).length;
    expect(preempted).toBeGreaterThanOrEqual(busyReclaims);
    expect(preempted).toBeLessThanOrEqual(reclaims);
    // A preempted attempt uses nothing; every workflow completes.
    for (const span of attempts) expect(span.attributes['gen_ai.usage.output_tokens'] ?? 0).toBe(0);
    expect(memory.workflows.every((workflow) => workflow.status === 'completed')).toBe(true);
  });

  it('same seed, same rows: the run is deterministic', async () => {
    const a = (await runOnce(scenarioFromYaml(SCENARIO))).sink as MemorySink;
    const b = (await runOnce(scenarioFromYaml(SCENARIO))).sink as MemorySink;
    expect(JSON.stringify(b.workflows)).toBe(JSON.stringify(a.workflows));
    expect(JSON.stringify(b.aux)).toBe(JSON.stringify(a.aux));
    expect(JSON.stringify(b.spans)).toBe(JSON.stringify(a.spans));
  });
});
