import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(`
name: flaky-straggler
agents:
  steady: { role: steady, model: mid-tier, latency: 2s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  flaky:
    role: always fails
    model: mid-tier
    latency: 1s
    faults: { error: 1, timeout: 0, rateLimit: 0 }
    retry: { attempts: 5, initialBackoff: 60s, maxBackoff: 120s, jitter: 0 }
cases:
  generate: { count: 5, labels: { yes: 1 } }
patterns:
  fanout: { workers: [steady, flaky], minSuccesses: 1, deadline: 10s }
`);

describe('retry backoff under a cancelled call', () => {
  it('ends the backoff and stops retrying when the pattern gives up on the call', async () => {
    const { sink } = await runOnce(scenario);
    for (const workflow of sink!.workflows) {
      // Without cancellation the flaky worker would sit in a 60 s backoff past the 10 s deadline.
      expect(workflow.latencyMs).toBe(10_000);
      const flaky = sink!.spans.find((span) => span.traceId === workflow.traceId && span.name === 'invoke_agent flaky')!;
      const root = sink!.spans.find((span) => span.traceId === workflow.traceId && span.parentSpanId === '')!;
      expect(flaky.endMs).toBe(root.endMs);
      expect(flaky.attributes['patternbench.attempts']).toBe(1);
    }
  });
});
