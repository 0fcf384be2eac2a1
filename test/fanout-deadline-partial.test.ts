import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const agent = (name: string, latency: string) => `
  ${name}: { role: ${name}, model: mid-tier, latency: ${latency}, faults: { error: 0, timeout: 0, rateLimit: 0 } }`;
const yaml = (fanout: string) => `
name: partial
agents:${agent('fast', '2s')}${agent('slow', '30s')}${agent('also-fast', '4s')}
cases:
  generate: { count: 10, labels: { yes: 1 } }
patterns:
  fanout: ${fanout}
`;

describe('fan-out deadline and minSuccesses', () => {
  it('fans in at the deadline with k of n results, cancels the straggler and records which worker is missing', async () => {
    const { sink } = await runOnce(scenarioFromYaml(yaml('{ workers: [fast, slow, also-fast], minSuccesses: 2, deadline: 10s }')));
    for (const workflow of sink!.workflows) {
      expect(workflow.status).toBe('completed');
      expect(workflow.latencyMs).toBe(10_000);
      const root = sink!.spans.find((span) => span.traceId === workflow.traceId && span.parentSpanId === '')!;
      expect(root.attributes['patternbench.fanout.missing_workers']).toBe('slow');
      expect(root.attributes['patternbench.fanout.successes']).toBe(2);
      expect(root.attributes['patternbench.fanout.deadline_hit']).toBe(true);
      const slow = sink!.spans.find((span) => span.traceId === workflow.traceId && span.name === 'invoke_agent slow')!;
      expect(slow.attributes['error.type']).toBe('cancelled');
      expect(slow.endMs).toBe(root.endMs);
    }
  });

  it('fails as insufficient_results when fewer than minSuccesses return by the deadline', async () => {
    const { sink } = await runOnce(scenarioFromYaml(yaml('{ workers: [fast, slow, also-fast], minSuccesses: 3, deadline: 10s }')));
    for (const workflow of sink!.workflows) {
      expect(workflow.status).toBe('failed');
      expect(workflow.errorType).toBe('insufficient_results');
      expect(workflow.failedStep).toBe('slow');
    }
  });

  it('waits for every worker when there is no deadline', async () => {
    const { sink } = await runOnce(scenarioFromYaml(yaml('{ workers: [fast, slow, also-fast] }')));
    for (const workflow of sink!.workflows) expect(workflow.latencyMs).toBe(30_000);
  });
});
