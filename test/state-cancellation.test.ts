import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * A call cut while its state is in transfer (a fan-out's deadline) ends then, as `cancelled`, and
 * its message leaves the bus's lag: the transfer is a wait on the run's clock like any other.
 */
describe('state in transfer when the call is cut', () => {
  it('ends the call at the fan-out deadline as cancelled, billed nothing, and the bus lag drains to 0', async () => {
    const scenario = scenarioFromYaml(`
name: state-cut
agents:
  w: { role: answers, model: small-fast, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 10, labels: { yes: 1 } }
patterns:
  fanout: { workers: [w, w, w], deadline: 2s }
state: { strategy: bus, messageLatency: 5s }
`);
    const { sink } = await runOnce(scenario);
    if (sink === null) throw new Error('no sink');
    expect(sink.workflows).toHaveLength(10);
    for (const workflow of sink.workflows) {
      expect(workflow.status).toBe('failed');
      expect(workflow.serviceMs).toBeCloseTo(2000, 6);
      expect(workflow.inputTokens).toBe(0);
    }
    const calls = sink.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(calls).toHaveLength(30);
    for (const call of calls) expect(call.attributes['error.type']).toBe('cancelled');
    const lag = sink.aux.flatMap((record) => (record.table === 'queue_series' && record.row.resource === 'state:bus' ? [record.row] : []));
    expect(lag.at(-1)?.queueEnd).toBe(0);
    expect(Math.max(...lag.map((row) => row.queueMax))).toBe(3);
  });
});
