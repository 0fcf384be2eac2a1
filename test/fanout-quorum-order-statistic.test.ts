import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';
import { WorkflowSink } from './support/workflow-sink.ts';

/**
 * Five workers with exponential latency of mean 1 s and nothing else on the clock (no hop, and a
 * `latency:` override leaves out time to first token and generation), quorum 3: the fan-in fires at
 * the 3rd order statistic of 5 exponentials, whose mean is 1/5 + 1/4 + 1/3 s (the gaps between
 * successive finishers are exponential with rates 5, 4, 3) and whose variance is
 * 1/25 + 1/16 + 1/9 ≈ 0.2136 s² (sd ≈ 0.462 s). Over 64,000 workflows the standard error of the
 * mean is 0.462 / √64,000 ≈ 1.83 ms, so the 1 % tolerance (7.83 ms) is a 4.3-sigma bound; the seed
 * is fixed, so the run is the same every time.
 */
const WORKFLOWS = 64_000;
const EXPECTED_S = 1 / 5 + 1 / 4 + 1 / 3;
const SD_S = Math.sqrt(1 / 25 + 1 / 16 + 1 / 9);

const scenario = scenarioFromYaml(`
name: quorum-order-statistic
seed: 15
agents:
${[1, 2, 3, 4, 5].map((n) => `  w${n}: { role: worker, model: mid-tier, promptTokens: 0, outputTokens: 10, latency: { dist: exponential, mean: 1s }, faults: { error: 0, timeout: 0, rateLimit: 0 } }`).join('\n')}
cases:
  generate: { count: ${WORKFLOWS}, labels: { yes: 1 }, inputTokens: 10 }
patterns:
  fanout: { workers: [w1, w2, w3, w4, w5], quorum: 3 }
`);

describe('fan-out quorum, closed form', () => {
  it('fans in at a mean of 1/5 + 1/4 + 1/3 s with 5 exponential(1 s) workers and quorum 3 (within 1 %, 64,000 workflows)', async () => {
    expect(0.01 * EXPECTED_S).toBeGreaterThan((4 * SD_S) / Math.sqrt(WORKFLOWS));
    let count = 0;
    let sum = 0;
    let completed = 0;
    const sink = new WorkflowSink((workflow) => {
      count++;
      sum += workflow.latencyMs;
      if (workflow.status === 'completed') completed++;
    });
    await runOnce(scenario, { concurrency: 10, sink });
    expect([count, completed]).toEqual([WORKFLOWS, WORKFLOWS]);
    const meanS = sum / count / 1000;
    expect(Math.abs(meanS - EXPECTED_S) / EXPECTED_S).toBeLessThan(0.01);
  }, 60_000);
});
