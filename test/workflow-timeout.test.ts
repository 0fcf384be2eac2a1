import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const agent = (name: string): string =>
  `  ${name}: { role: ${name}, model: mid-tier, latency: 1s, retry: { attempts: 3, initialBackoff: 100ms }, faults: { error: 0, timeout: 0, rateLimit: 0 } }`;

describe('workflow timeout', () => {
  it('cuts the call in flight at the deadline as workflow_timeout, without retrying it', async () => {
    const yaml = `
name: bounded
agents:
${['a', 'b', 'c', 'd'].map(agent).join('\n')}
cases:
  inline:
    - { expected: { label: ok } }
labels: [ok]
patterns:
  sequential: { steps: [a, b, c, d] }
workflowTimeout: 2500ms
`;
    const { sink } = await runOnce(scenarioFromYaml(yaml));
    expect(sink!.workflows[0]).toMatchObject({ status: 'failed', errorType: 'workflow_timeout', failedStep: 'c', endMs: 2500, agentCalls: 3, modelAttempts: 3 });
    const calls = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(calls.map((span) => [span.attributes['gen_ai.agent.name'], span.endMs, span.attributes['error.type'] ?? null])).toEqual([
      ['a', 1000, null],
      ['b', 2000, null],
      ['c', 2500, 'workflow_timeout'],
    ]);
  });

  it('leaves workflows that finish in time alone', async () => {
    const yaml = `
name: bounded
agents:
${['a', 'b'].map(agent).join('\n')}
cases:
  inline:
    - { expected: { label: ok } }
labels: [ok]
patterns:
  sequential: { steps: [a, b] }
workflowTimeout: 2s
`;
    const { sink } = await runOnce(scenarioFromYaml(yaml));
    expect(sink!.workflows[0]).toMatchObject({ status: 'completed', endMs: 2000 });
  });
});
