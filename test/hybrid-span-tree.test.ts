import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(`
name: hybrid-spans
agents:
  classify: { role: classifies, model: mid-tier, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  left: { role: one side, model: mid-tier, latency: 2s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  right: { role: other side, model: mid-tier, latency: 3s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  write: { role: writes, model: mid-tier, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 4, labels: { yes: 1 } }
patterns:
  hybrid:
    sequential:
      steps:
        - classify
        - fanout: { workers: [left, { sequential: { steps: [left, right] } }] }
        - write
`);

describe('a nested pattern traces under its own invoke_workflow span', () => {
  it('nests each level under `invoke_workflow <path>`, spanning exactly its own calls', async () => {
    const { sink } = await runOnce(scenario, { pattern: 'hybrid' });
    const spans = sink!.spans;
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentName = (name: string) => spans.filter((span) => span.name === name).map((span) => byId.get(span.parentSpanId)?.name ?? '(root)');
    expect(parentName('invoke_workflow sequential.steps[1].fanout')).toEqual(Array(4).fill('invoke_workflow hybrid-spans'));
    expect(parentName('invoke_workflow sequential.steps[1].fanout.workers[1].sequential')).toEqual(Array(4).fill('invoke_workflow sequential.steps[1].fanout'));
    expect(parentName('invoke_agent classify')).toEqual(Array(4).fill('invoke_workflow hybrid-spans'));
    expect(parentName('invoke_agent write')).toEqual(Array(4).fill('invoke_workflow hybrid-spans'));
    expect(parentName('invoke_agent right')).toEqual(Array(4).fill('invoke_workflow sequential.steps[1].fanout.workers[1].sequential'));
    expect(parentName('invoke_agent left').sort()).toEqual([...Array(4).fill('invoke_workflow sequential.steps[1].fanout'), ...Array(4).fill('invoke_workflow sequential.steps[1].fanout.workers[1].sequential')].sort());
    for (const span of spans.filter((s) => s.name === 'invoke_workflow sequential.steps[1].fanout')) {
      // max(left 2 s, left + right 5 s), from 1 s (after classify) to 6 s.
      expect(span.endMs - span.startMs).toBe(5_000);
      expect(span.attributes['gen_ai.operation.name']).toBe('invoke_workflow');
      expect(span.attributes['gen_ai.workflow.name']).toBe('sequential.steps[1].fanout');
    }
    for (const workflow of sink!.workflows) expect(workflow.latencyMs).toBe(1_000 + 5_000 + 1_000);
  });
});
