import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const N = 3000;
const tools = (prefix: string, count: number): string => `[${Array.from({ length: count }, (_, index) => `${prefix}-${index}`).join(', ')}]`;
const yaml = (specialistTools: number, inputTokens: number) => `
name: one-agent
agents:
  solo: { role: does everything, model: frontier, skill: 0.9, promptTokens: 1000, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  billing: { role: billing, model: mid-tier, promptTokens: 2000, tools: ${tools('pay', specialistTools)} }
  tech: { role: tech, model: mid-tier, promptTokens: 2000, tools: ${tools('log', specialistTools)} }
cases:
  generate: { count: ${N}, labels: { a: 1, b: 1, c: 1, d: 1 }, inputTokens: ${inputTokens} }
patterns:
  single-agent: { agent: solo }
`;
const within999 = (observed: number, p: number): boolean => Math.abs(observed - p) <= 3.2905 * Math.sqrt((p * (1 - p)) / N);

describe('single-agent baseline', () => {
  async function accuracy(specialistTools: number, inputTokens: number): Promise<{ accuracy: number; inputTokens: number }> {
    const { sink } = await runOnce(scenarioFromYaml(yaml(specialistTools, inputTokens)), { concurrency: 50 });
    const workflows = sink!.workflows;
    return { accuracy: workflows.filter((w) => w.correct === true).length / N, inputTokens: workflows[0]!.inputTokens };
  }

  it('reads the case plus every absorbed agent\'s prompt, and keeps its skill with few tools and a light context', async () => {
    const result = await accuracy(5, 10_000);
    expect(result.inputTokens).toBe(1000 + 10_000 + 2 * 2000);
    expect(within999(result.accuracy, 0.9)).toBe(true);
  });

  it('drops to skill × 0.755 when it holds more than 20 tools (2 × 11 absorbed)', async () => {
    expect(within999((await accuracy(11, 10_000)).accuracy, 0.9 * 0.755)).toBe(true);
  });

  it('drops to skill × 0.85 above 70 % of its 200k context window', async () => {
    expect(within999((await accuracy(5, 140_000)).accuracy, 0.9 * 0.85)).toBe(true);
  });
});
