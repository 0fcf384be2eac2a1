import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const A = 0.8;
const N = 4000;
const specialist = (name: string) => `
  ${name}:
    role: specialist ${name}
    model: small-fast
    skill: 1
    latency: 1s
    faults: { error: 0, timeout: 0, rateLimit: 0 }`;

const scenario = scenarioFromYaml(`
name: router-accuracy
agents:
  classifier:
    role: picks the specialist
    model: bert-classifier
    promptTokens: 0
    skill: ${A}
    latency: 20ms
    faults: { error: 0, timeout: 0, rateLimit: 0 }${specialist('s-a')}${specialist('s-b')}${specialist('s-c')}${specialist('s-d')}
cases:
  generate: { count: ${N}, labels: { a: 1, b: 1, c: 1, d: 1 }, inputTokens: 300 }
patterns:
  router:
    classifier: classifier
    routes: { a: s-a, b: s-b, c: s-c, d: s-d }
    sendBack: false
`);

describe('router accuracy, closed form', () => {
  it(`is the classifier's accuracy a = ${A} (perfect specialists, uniform labels, no fallback), within a 99.9 % interval`, async () => {
    const { sink } = await runOnce(scenario, { concurrency: 50 });
    const workflows = sink!.workflows;
    expect(workflows).toHaveLength(N);
    const correct = workflows.filter((workflow) => workflow.correct === true).length;
    // 99.9 % two-sided normal interval: a ± 3.2905 √(a(1 − a)/n) = 0.8 ± 0.0208.
    const half = 3.2905 * Math.sqrt((A * (1 - A)) / N);
    expect(Math.abs(correct / N - A)).toBeLessThanOrEqual(half);
    // A misrouted request is answered wrong: every workflow costs exactly two calls.
    expect(workflows.every((workflow) => workflow.agentCalls === 2)).toBe(true);
  });
});
