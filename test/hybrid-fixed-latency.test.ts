import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** Agents that never fail, each taking exactly its fixed latency per call (seconds). */
const fixedAgents = (latencies: Readonly<Record<string, number>>) =>
  Object.entries(latencies)
    .map(([name, seconds]) => `\n  ${name}: { role: step ${name}, model: mid-tier, latency: ${seconds}s, faults: { error: 0, timeout: 0, rateLimit: 0 } }`)
    .join('');

// Fixed latencies: a 3 s, b 5 s, c 7 s, d 2 s, e 4 s, f 6 s. No hop overhead beyond the fixed latency.
const scenario = scenarioFromYaml(`
name: fixed-hybrid
agents:${fixedAgents({ a: 3, b: 5, c: 7, d: 2, e: 4, f: 6 })}
cases:
  generate: { count: 60, labels: { yes: 1, no: 1 } }
patterns:
  hybrid:
    sequential:
      steps:
        - a
        - fanout: { workers: [b, c, d] }
        - e
  sequential: { steps: [a, b, c, d, e] }
`);

// Two levels deep: the parallel stage itself holds a chain, max(a + b, c) = 8 s.
const deep = scenarioFromYaml(`
name: fixed-hybrid-deep
agents:${fixedAgents({ a: 3, b: 5, c: 7, e: 4, f: 6 })}
cases:
  generate: { count: 40, labels: { yes: 1, no: 1 } }
patterns:
  hybrid:
    sequential:
      steps:
        - f
        - fanout:
            workers:
              - sequential: { steps: [a, b] }
              - c
        - e
`);

/** There are `count` workflows, and each has exactly the fields of `expected` (exact: virtual time). */
function expectEach(workflows: readonly WorkflowRecord[], count: number, expected: Partial<WorkflowRecord>): void {
  expect(workflows).toHaveLength(count);
  for (const workflow of workflows) expect(workflow).toMatchObject(expected);
}

// A deadline of the parent: the fan-out fans in at 5 s, cutting the nested chain in its second step.
const cut = scenarioFromYaml(`
name: fixed-hybrid-deadline
agents:${fixedAgents({ a: 2, b: 3, c: 3 })}
cases:
  generate: { count: 20, labels: { yes: 1, no: 1 } }
patterns:
  hybrid:
    fanout:
      workers:
        - a
        - sequential: { steps: [b, c] }
      minSuccesses: 1
      deadline: 5s
`);

describe('composed patterns, closed form', () => {
  it('a chain with a parallel middle stage takes exactly sum + max: 3 s + max(5, 7, 2) s + 4 s = 14 s', async () => {
    const { sink } = await runOnce(scenario, { pattern: 'hybrid', concurrency: 5 });
    expectEach(sink!.workflows, 60, { status: 'completed', latencyMs: 14_000, serviceMs: 14_000, agentCalls: 5 });
  });

  it('the same five agents chained take the sum, 3 + 5 + 7 + 2 + 4 = 21 s: the hybrid saves exactly 7 s', async () => {
    const { sink } = await runOnce(scenario, { pattern: 'sequential', concurrency: 5 });
    for (const workflow of sink!.workflows) expect(workflow.latencyMs).toBe(21_000);
  });

  it('a chain nested in the parallel stage: 6 s + max(3 + 5, 7) s + 4 s = 18 s', async () => {
    const { sink } = await runOnce(deep, { pattern: 'hybrid', concurrency: 3 });
    // f (6 s), then max(a + b = 8 s, c = 7 s), then e (4 s).
    expectEach(sink!.workflows, 40, { status: 'completed', latencyMs: 6_000 + 8_000 + 4_000, agentCalls: 5 });
  });

  it("records the nested pattern's facts prefixed with its path", async () => {
    const { sink } = await runOnce(deep, { pattern: 'hybrid', cases: 2 });
    for (const workflow of sink!.workflows) {
      const facts = JSON.parse(workflow.facts ?? '{}') as Record<string, unknown>;
      expect(facts['sequential.steps[1].fanout.successes']).toBe(2);
      expect(facts['sequential.steps[1].fanout.missing_count']).toBe(0);
      expect(facts['sequential.steps[1].fanout.fan_in_ms']).toBe(8_000);
      // Only prefixed keys: no fact of the nested fan-out passes for the outer pattern's own.
      expect(Object.keys(facts).filter((key) => key.startsWith('fanout.'))).toEqual([]);
    }
  });

  it("a parent's deadline cuts the nested pattern's call in flight: fan-in at exactly 5 s, not at max(2, 3 + 3) = 6 s", async () => {
    const { sink } = await runOnce(cut, { pattern: 'hybrid', concurrency: 4 });
    expectEach(sink!.workflows, 20, { status: 'completed', latencyMs: 5_000, agentCalls: 3 });
    const cutSpans = sink!.spans.filter((span) => span.name === 'invoke_agent c');
    expect(cutSpans).toHaveLength(20);
    for (const span of cutSpans) {
      expect(span.attributes['error.type']).toBe('cancelled');
      expect(span.endMs - span.startMs).toBe(2_000);
    }
    for (const workflow of sink!.workflows) {
      const facts = JSON.parse(workflow.facts ?? '{}') as Record<string, unknown>;
      expect(facts['fanout.deadline_hit']).toBe(true);
      expect(facts['fanout.workers[1].sequential.failed_step']).toBe('c');
    }
  });
});
