import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const agent = (name: string) => `
  ${name}:
    role: step ${name}
    model: mid-tier
    latency: 3s
    faults: { error: 0, timeout: 0, rateLimit: 0 }`;

const scenario = scenarioFromYaml(`
name: fixed-chain
agents:${agent('a')}${agent('b')}${agent('c')}${agent('d')}
cases:
  generate: { count: 200, labels: { yes: 1, no: 1 } }
patterns:
  sequential: { steps: [a, b, c, d] }
`);

describe('sequential chain, closed form', () => {
  it('takes exactly 4 × 3 s = 12 s of virtual time per workflow when each step is fixed at 3 s', async () => {
    const { sink, outcome } = await runOnce(scenario, { concurrency: 7 });
    const workflows = sink!.workflows;
    expect(workflows).toHaveLength(200);
    for (const workflow of workflows) {
      expect(workflow.status).toBe('completed');
      expect(workflow.latencyMs).toBe(12_000);
      expect(workflow.serviceMs).toBe(12_000);
      expect(workflow.agentCalls).toBe(4);
    }
    // 200 workflows, 7 at a time, 12 s each: ceil(200 / 7) = 29 rounds.
    expect(outcome.virtualEndMs).toBe(29 * 12_000);
  });

  it('records one invoke_workflow root, four invoke_agent children and one chat span under each', async () => {
    const { sink } = await runOnce(scenario, { cases: 3 });
    const spans = sink!.spans;
    expect(spans).toHaveLength(3 * 9);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const roots = spans.filter((span) => span.parentSpanId === '');
    expect(roots.map((span) => span.name)).toEqual(Array(3).fill('invoke_workflow fixed-chain'));
    for (const span of spans.filter((s) => s.name.startsWith('invoke_agent '))) {
      const parent = byId.get(span.parentSpanId);
      expect(parent?.name).toBe('invoke_workflow fixed-chain');
      expect(span.endMs - span.startMs).toBe(3000);
      expect(span.attributes['gen_ai.operation.name']).toBe('invoke_agent');
    }
    for (const span of spans.filter((s) => s.name.startsWith('chat '))) {
      expect(byId.get(span.parentSpanId)?.name.startsWith('invoke_agent ')).toBe(true);
      expect(span.kind).toBe('client');
    }
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length);
  });
});
