import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** Five workers answering 300 tokens in 1, 2, 3, 4 and 5 s (no hop, no time to first token), each reading the 1,000-token case. */
const yaml = (fanout: string): string => `
name: quorum
agents:
${[1, 2, 3, 4, 5].map((n) => `  w${n}: { role: worker, model: mid-tier, promptTokens: 0, outputTokens: 300, latency: ${n}s, faults: { error: 0, timeout: 0, rateLimit: 0 } }`).join('\n')}
cases:
  generate: { count: 4, labels: { yes: 1 }, inputTokens: 1000 }
patterns:
  fanout: ${fanout}
`;

describe('fan-out quorum', () => {
  it('fans in when the 3rd of 5 workers succeeds and cuts the two stragglers there, billing what they had streamed', async () => {
    const { sink } = await runOnce(scenarioFromYaml(yaml('{ workers: [w1, w2, w3, w4, w5], quorum: 3 }')));
    expect(sink!.workflows).toHaveLength(4);
    for (const workflow of sink!.workflows) {
      expect(workflow).toMatchObject({ status: 'completed', latencyMs: 3000, agentCalls: 5 });
      const root = sink!.spans.find((span) => span.traceId === workflow.traceId && span.parentSpanId === '')!;
      expect(root.attributes).toMatchObject({
        'patternbench.fanout.quorum_hit': true,
        'patternbench.fanout.successes': 3,
        'patternbench.fanout.missing_workers': 'w4,w5',
        'patternbench.fanout.fan_in_ms': 3000,
      });
      for (const [name, streamed] of [['w4', 225], ['w5', 180]] as const) {
        // 3 s into a 4 s (5 s) answer: 3/4 (3/5) of its 300 output tokens, on top of the 1,000 it read.
        const span = sink!.spans.find((s) => s.traceId === workflow.traceId && s.name === `invoke_agent ${name}`)!;
        expect([span.endMs - workflow.startMs, span.status, span.attributes['error.type']]).toEqual([3000, 'error', 'cancelled']);
        expect([span.attributes['gen_ai.usage.input_tokens'], span.attributes['gen_ai.usage.output_tokens']]).toEqual([1000, streamed]);
        const chat = sink!.spans.find((s) => s.parentSpanId === span.spanId)!;
        expect([chat.endMs - workflow.startMs, chat.attributes['error.type'], chat.attributes['gen_ai.usage.output_tokens']]).toEqual([3000, 'cancelled', streamed]);
      }
      expect(workflow.inputTokens + workflow.outputTokens).toBe(3 * 1300 + 1225 + 1180);
    }
  });

  it('fans in at the deadline when it comes before the quorum', async () => {
    const { sink } = await runOnce(scenarioFromYaml(yaml('{ workers: [w1, w2, w3, w4, w5], quorum: 4, minSuccesses: 2, deadline: 2500ms }')));
    for (const workflow of sink!.workflows) {
      expect(workflow).toMatchObject({ status: 'completed', latencyMs: 2500 });
      const root = sink!.spans.find((span) => span.traceId === workflow.traceId && span.parentSpanId === '')!;
      expect(root.attributes['patternbench.fanout.deadline_hit']).toBe(true);
      expect(root.attributes['patternbench.fanout.quorum_hit']).toBeUndefined();
      expect(root.attributes['patternbench.fanout.missing_workers']).toBe('w3,w4,w5');
    }
  });
});
