import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const worker = (name: string, latency: string) => `
  ${name}: { role: ${name}, model: mid-tier, latency: ${latency}, faults: { error: 0, timeout: 0, rateLimit: 0 } }`;
const yaml = (mode: string) => `
name: shared
agents:${worker('w1', '1s')}${worker('w2', '2s')}${worker('w3', '3s')}
cases:
  generate: { count: 5, labels: { yes: 1 } }
patterns:
  fanout:
    workers: [w1, w2, w3]
    sharedState: { mode: ${mode}, writes: { w1: [total], w2: [total], w3: [total] } }
`;

async function run(mode: string) {
  const { sink } = await runOnce(scenarioFromYaml(yaml(mode)));
  const root = sink!.spans.find((span) => span.parentSpanId === '')!;
  const attribute = (name: string): unknown => root.attributes[`patternbench.fanout.${name}`];
  return { workflow: sink!.workflows[0]!, counts: ['state_writes', 'lost_updates', 'write_conflicts', 'rejected_writes'].map(attribute) };
}

describe('fan-out shared-state conflicts, counted per workflow', () => {
  it('last-write-wins: three writes to one field, two of them overwrite an update their writer never saw', async () => {
    const { workflow, counts } = await run('last-write-wins');
    expect(counts).toEqual([3, 2, 0, 0]);
    expect(workflow.latencyMs).toBe(3000);
  });

  it('optimistic: stale writes are refused and their workers re-run (w2 once, w3 twice), costing calls and time', async () => {
    // w1 writes at 1 s; w2 (read at 0) conflicts at 2 s, re-runs, writes at 4 s; w3 conflicts at 3 s and
    // again at 6 s (w2 wrote meanwhile), writes at 9 s.
    const { workflow, counts } = await run('optimistic');
    expect(counts).toEqual([3, 0, 3, 0]);
    expect(workflow.agentCalls).toBe(6);
    expect(workflow.latencyMs).toBe(9000);
  });

  it('partitioned: the field belongs to w1; the other two writes are rejected', async () => {
    const { counts } = await run('partitioned');
    expect(counts).toEqual([1, 0, 0, 2]);
  });
});
