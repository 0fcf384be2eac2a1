import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** One extractor whose outputs are malformed half the time, checked by a JSON Schema contract. */
function scenario(onViolation: 'retry' | 'fail', attempts: number): string {
  return `
name: contract
agents:
  extractor:
    role: Extracts the label
    model: mid-tier
    latency: 1s
    faults: { error: 0, timeout: 0, rateLimit: 0, malformedOutput: 0.5 }
    retry: { attempts: ${attempts}, initialBackoff: 100ms, jitter: 0 }
    outputSchema: { type: object, required: [label], properties: { label: { type: string, minLength: 1 } } }
    onViolation: ${onViolation}
cases:
  generate: { count: 400, labels: { a: 1, b: 1 } }
patterns:
  single-agent: { agent: extractor }
`;
}

describe('output contracts', () => {
  it('catches every malformed output: with retry, a call fails only when all its attempts broke the schema', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('retry', 3)));
    const chats = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    const violations = chats.filter((span) => span.attributes['error.type'] === 'contract_violation');
    // Each violation is visible on its attempt span as an event naming the broken rule.
    for (const span of violations) expect(span.events.map((event) => event.name)).toContain('contract.violation');
    // About half of all attempts are malformed (binomial, 5 sd).
    const share = violations.length / chats.length;
    expect(Math.abs(share - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / chats.length));
    const failed = sink!.workflows.filter((workflow) => workflow.status === 'failed');
    for (const workflow of failed) expect(workflow).toMatchObject({ errorType: 'contract_violation', modelAttempts: 3 });
    // P(3 malformed in a row) = 1/8: 400 workflows → 50 ± 5 sd.
    expect(Math.abs(failed.length - 50)).toBeLessThan(5 * Math.sqrt(400 * 0.125 * 0.875));
    // Completed workflows always carry a label: no malformed output got through.
    for (const workflow of sink!.workflows.filter((w) => w.status === 'completed')) expect(JSON.parse(workflow.output ?? '{}').label).toBeTruthy();
  });

  it('with onViolation: fail, the first violation fails the step without a retry', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('fail', 3)));
    const failed = sink!.workflows.filter((workflow) => workflow.status === 'failed');
    expect(failed.length).toBeGreaterThan(150);
    for (const workflow of failed) expect(workflow).toMatchObject({ errorType: 'contract_violation', modelAttempts: 1 });
    expect(sink!.workflows.filter((w) => w.status === 'completed').every((w) => w.modelAttempts === 1)).toBe(true);
  });

  it('an invalid JSON Schema is reported at the agent outputSchema', () => {
    const yaml = scenario('retry', 1).replace('{ type: object, required: [label]', '{ type: objekt, required: [label]');
    expect(() => scenarioFromYaml(yaml)).toThrow(/outputSchema.*not a valid JSON Schema/s);
  });
});
