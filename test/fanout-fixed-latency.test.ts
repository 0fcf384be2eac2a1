import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const agent = (name: string, latency: string) => `
  ${name}:
    role: step ${name}
    model: mid-tier
    latency: ${latency}
    faults: { error: 0, timeout: 0, rateLimit: 0 }`;

const scenario = scenarioFromYaml(`
name: fixed-fanout
agents:${['a', 'b', 'c', 'd', 'e'].map((name) => agent(name, '15s')).join('')}${agent('synth', '6s')}
cases:
  generate: { count: 100, labels: { yes: 1, no: 1 } }
patterns:
  fanout: { workers: [a, b, c, d, e], merge: vote, synthesis: synth }
  sequential: { steps: [a, b, c, d, e, synth] }
`);

describe('fan-out, closed form', () => {
  it('takes exactly max(5 × 15 s) + 6 s = 21 s per workflow with five parallel workers and a synthesis', async () => {
    const { sink } = await runOnce(scenario, { pattern: 'fanout', concurrency: 4 });
    expect(sink!.workflows).toHaveLength(100);
    for (const workflow of sink!.workflows) {
      expect(workflow.status).toBe('completed');
      expect(workflow.latencyMs).toBe(21_000);
      expect(workflow.agentCalls).toBe(6);
    }
  });

  it('takes exactly 5 × 15 s + 6 s = 81 s when the same five steps are chained', async () => {
    const { sink } = await runOnce(scenario, { pattern: 'sequential', concurrency: 4 });
    for (const workflow of sink!.workflows) expect(workflow.latencyMs).toBe(81_000);
  });
});
