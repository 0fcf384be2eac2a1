import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';
import { WorkflowSink } from './support/workflow-sink.ts';

/**
 * A closed loop of N = 8 workflows, each one call to an agent with lognormal latency (p50 200 ms,
 * p95 1 s) behind a pool of 3 slots, so workflows also queue. Little's law, L = X·W with L = N
 * always in the system, gives throughput X = N ÷ mean latency. It holds on every sample path up to
 * the ragged end of the run (the last N workflows finish at different times), an error of the
 * order of N/(2 × workflows) = 0.04 % for 10,000 workflows; the tolerance is 2 %.
 */
const N = 8;
const scenario = scenarioFromYaml(`
name: little
agents:
  worker:
    role: does the work
    model: mid-tier
    latency: { dist: lognormal, p50: 200ms, p95: 1s }
    faults: { error: 0, timeout: 0, rateLimit: 0 }
    pool: { slots: 3 }
cases:
  generate: { count: 2, labels: { a: 1 } }
patterns:
  single-agent: { agent: worker }
load: { arrivals: closed, concurrency: ${N} }
`);

describe("closed loop (Little's law)", () => {
  it('has throughput = N ÷ mean latency within 2 %', async () => {
    const workflows: WorkflowRecord[] = [];
    const { outcome } = await runOnce(scenario, { repeat: 5000, sink: new WorkflowSink((workflow) => workflows.push(workflow)) });
    expect(workflows).toHaveLength(10_000);
    expect(workflows.every((workflow) => workflow.status === 'completed' && workflow.agentCalls === 1)).toBe(true);
    // A closed loop starts each workflow when one ends: intended start = start.
    expect(workflows.every((workflow) => workflow.startMs === workflow.intendedStartMs)).toBe(true);

    const meanLatencyMs = workflows.reduce((sum, workflow) => sum + workflow.latencyMs, 0) / workflows.length;
    const throughput = workflows.length / outcome.virtualEndMs;
    expect(Math.abs(throughput / (N / meanLatencyMs) - 1)).toBeLessThan(0.02);

    // The pool made workflows queue (8 in the loop, 3 served at a time), so the law is checked on
    // a latency that is mostly waiting: throughput is far below N ÷ mean agent time.
    const meanAgentMs = Math.exp(Math.log(200) + (Math.log(1000 / 200) / 1.6449) ** 2 / 2);
    expect(meanLatencyMs).toBeGreaterThan(2 * meanAgentMs);
  });
});
