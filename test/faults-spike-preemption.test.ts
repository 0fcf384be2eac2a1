import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

function scenario(faults: string): string {
  return `
name: faults
agents:
  worker: { role: Works, model: mid-tier, latency: 1s, timeout: 1h, retry: { attempts: 1 }, faults: { error: 0, timeout: 0, rateLimit: 0, ${faults} } }
cases:
  generate: { count: 300, labels: { a: 1 } }
patterns:
  single-agent: { agent: worker }
`;
}

describe('scheduled faults', () => {
  it('a latency spike multiplies the latency of the attempts that start inside it, and no others', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('latencySpikes: [{ at: 100s, for: 50s, factor: 4 }]')));
    const chats = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    for (const span of chats) {
      const inside = span.startMs >= 100_000 && span.startMs < 150_000;
      expect(span.endMs - span.startMs).toBeCloseTo(inside ? 4000 : 1000, 6);
    }
    expect(chats.filter((span) => span.endMs - span.startMs > 1000).length).toBe(13); // starts at 100, 104, …, 148 s
  });

  it('an outage fails every attempt inside it at once as unavailable', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('outages: [{ at: 30s, for: 10s }]')));
    const failed = sink!.workflows.filter((workflow) => workflow.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const workflow of failed) {
      expect(workflow.errorType).toBe('unavailable');
      expect(workflow.startMs).toBeGreaterThanOrEqual(30_000);
      expect(workflow.startMs).toBeLessThan(40_000);
    }
    // The outage is 10 s of a run of 1 s calls and instant failures: every start inside it fails.
    const inside = sink!.workflows.filter((workflow) => workflow.startMs >= 30_000 && workflow.startMs < 40_000);
    expect(inside.every((workflow) => workflow.status === 'failed')).toBe(true);
  });

  it('preemption cuts a share of attempts mid-call as preempted, billing nothing', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('preemption: 0.2')));
    const preempted = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat' && span.attributes['error.type'] === 'preempted');
    expect(Math.abs(preempted.length / 300 - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / 300));
    for (const span of preempted) {
      expect(span.endMs - span.startMs).toBeLessThan(1000);
      expect(span.attributes['gen_ai.usage.output_tokens']).toBe(0);
    }
  });
});
