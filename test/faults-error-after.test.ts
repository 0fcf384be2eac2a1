import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * Every attempt fails with a provider error (faults.error 1, one attempt). With fixed hop overhead
 * (10 ms) and fixed time to first token (700 ms), when it fails is exact:
 * - default: hop + time to first token;
 * - with a `latency:` override: hop + the override's draw;
 * - with `faults.errorAfter` (the agent's, else its profile's, else the override): hop + its draw.
 */
function failureTimes(agentExtra: string, profileFaults = '', count = 20, agentFaults = ''): Promise<number[]> {
  const yaml = `
name: error-after
models:
  mid-tier: { ttft: 700ms, faults: { error: 0, timeout: 0, rateLimit: 0${profileFaults} } }
agents:
  worker: { role: Works, model: mid-tier, timeout: 1h, retry: { attempts: 1 }, faults: { error: 1${agentFaults} }${agentExtra} }
cases:
  generate: { count: ${count}, labels: { a: 1 } }
network: { hopOverhead: 10ms }
patterns:
  single-agent: { agent: worker }
`;
  return runOnce(scenarioFromYaml(yaml)).then(({ sink }) => {
    const chats = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats).toHaveLength(count);
    for (const span of chats) expect(span.attributes['error.type']).toBe('error');
    return chats.map((span) => span.endMs - span.startMs);
  });
}

describe('when a failed attempt fails (faults.errorAfter)', () => {
  it('by default: after the hop overhead and the time to first token', async () => {
    for (const ms of await failureTimes('')) expect(ms).toBeCloseTo(710, 9);
  });

  it("with a latency: override: after the override's draw, not the profile's time to first token", async () => {
    for (const ms of await failureTimes(', latency: 3s')) expect(ms).toBeCloseTo(3010, 9);
  });

  it("faults.errorAfter on the agent wins over its latency: override", async () => {
    for (const ms of await failureTimes(', latency: 3s', '', 20, ', errorAfter: 250ms')) expect(ms).toBeCloseTo(260, 9);
  });

  it("the profile's faults.errorAfter replaces its time to first token, but not an agent's latency: override", async () => {
    for (const ms of await failureTimes('', ', errorAfter: 400ms')) expect(ms).toBeCloseTo(410, 9);
    for (const ms of await failureTimes(', latency: 3s', ', errorAfter: 400ms')) expect(ms).toBeCloseTo(3010, 9);
  });

  it('errorAfter may be a distribution: uniform 1–2 s gives failures in [1010, 2010] ms with mean 1510 ms', async () => {
    const times = await failureTimes('', '', 400, ', errorAfter: { dist: uniform, min: 1s, max: 2s }');
    for (const ms of times) {
      expect(ms).toBeGreaterThanOrEqual(1010);
      expect(ms).toBeLessThanOrEqual(2010);
    }
    // Mean of uniform(1000, 2000) + 10 is 1510; sd of the mean of 400 draws = 1000/√12/20 ≈ 14.4 ms: 5 sd = 72 ms.
    const mean = times.reduce((sum, ms) => sum + ms, 0) / times.length;
    expect(Math.abs(mean - 1510)).toBeLessThan(72);
  });
});
