import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** Two-sided 99.9 % normal quantile. */
const Z_999 = 3.2905267314919255;

describe('retries, closed form', () => {
  it.each([
    [0.3, 3],
    [0.5, 2],
    [0.2, 4],
  ])('per-attempt failure p = %f with k = %i attempts succeeds with probability 1 − p^k', async (p, k) => {
    const scenario = scenarioFromYaml(`
name: flaky
agents:
  worker:
    role: flaky step
    model: small-fast
    latency: 1s
    faults: { error: ${p}, timeout: 0, rateLimit: 0 }
    retry: { attempts: ${k}, initialBackoff: 100ms, jitter: 0.5 }
cases:
  generate: { count: 20000, labels: { a: 1 } }
patterns:
  sequential: { steps: [worker] }
`);
    const { sink } = await runOnce(scenario, { concurrency: 50 });
    const workflows = sink!.workflows;
    const n = workflows.length;
    const successes = workflows.filter((workflow) => workflow.status === 'completed').length;
    const expected = 1 - p ** k;
    const halfWidth = Z_999 * Math.sqrt((expected * (1 - expected)) / n);
    expect(n).toBe(20000);
    expect(Math.abs(successes / n - expected)).toBeLessThan(halfWidth);
    // Every failure used all k attempts and ended as the injected provider error.
    for (const workflow of workflows.filter((w) => w.status === 'failed')) {
      expect(workflow.modelAttempts).toBe(k);
      expect(workflow.errorType).toBe('error');
      expect(workflow.failedStep).toBe('worker');
    }
  });
});
