import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(`
name: tools
agents:
  researcher:
    role: looks things up
    model: mid-tier
    tools: [web-search, crm-lookup]
    toolCalls: 3
    toolLatency: 100ms
    latency: 1s
    faults: { error: 0, timeout: 0, rateLimit: 0 }
  writer:
    role: writes
    model: mid-tier
    latency: 2s
    faults: { error: 0, timeout: 0, rateLimit: 0 }
cases:
  generate: { count: 30, labels: { yes: 1 } }
patterns:
  sequential: { steps: [researcher, writer] }
`);

describe('simulated tool calls', () => {
  it('records each tool call as an execute_tool span under its agent call, and adds its duration', async () => {
    const { sink } = await runOnce(scenario);
    for (const workflow of sink!.workflows) {
      expect(workflow.latencyMs).toBe(1000 + 3 * 100 + 2000);
      const spans = sink!.spans.filter((span) => span.traceId === workflow.traceId);
      const researcher = spans.find((span) => span.name === 'invoke_agent researcher')!;
      const writer = spans.find((span) => span.name === 'invoke_agent writer')!;
      const tools = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'execute_tool');
      expect(tools).toHaveLength(3);
      for (const tool of tools) {
        expect(tool.parentSpanId).toBe(researcher.spanId);
        expect(['web-search', 'crm-lookup']).toContain(tool.attributes['gen_ai.tool.name']);
        expect(tool.name).toBe(`execute_tool ${tool.attributes['gen_ai.tool.name']}`);
        expect(tool.endMs - tool.startMs).toBe(100);
        expect(tool.startMs).toBeGreaterThanOrEqual(researcher.startMs);
        expect(tool.endMs).toBeLessThanOrEqual(researcher.endMs);
      }
      expect(spans.some((span) => span.parentSpanId === writer.spanId && span.name.startsWith('execute_tool'))).toBe(false);
    }
    // Tools are picked from the agent's list by the seeded stream: both get used across workflows.
    const used = new Set(sink!.spans.map((span) => span.attributes['gen_ai.tool.name']).filter((name) => name !== undefined));
    expect(used).toEqual(new Set(['web-search', 'crm-lookup']));
  });
});
