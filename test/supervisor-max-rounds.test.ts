import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(`
name: stubborn-worker
agents:
  manager:
    role: plans, reviews
    model: frontier
    skill: 1
    latency: 2s
    faults: { error: 0, timeout: 0, rateLimit: 0 }
  worker:
    role: always wrong
    model: small-fast
    skill: 0
    latency: 5s
    faults: { error: 0, timeout: 0, rateLimit: 0 }
cases:
  generate: { count: 20, labels: { yes: 1, no: 1 } }
patterns:
  supervisor:
    supervisor: manager
    subtasks: [{ name: answer, worker: worker }]
`);

describe('supervisor hard limits', () => {
  it('stops at exactly the default 10 rounds when its only worker is always wrong and review catches it', async () => {
    const { sink } = await runOnce(scenario, { concurrency: 4 });
    expect(sink!.workflows).toHaveLength(20);
    for (const workflow of sink!.workflows) {
      const root = sink!.spans.find((span) => span.traceId === workflow.traceId && span.parentSpanId === '')!;
      expect(root.attributes['patternbench.supervisor.termination_reason']).toBe('max_rounds');
      expect(root.attributes['patternbench.supervisor.rounds']).toBe(10);
      expect(root.attributes['patternbench.supervisor.rejections']).toBe(10);
      // The same facts land on the workflow row, for SQL and the summary.
      expect(JSON.parse(workflow.facts ?? '{}')).toMatchObject({ 'supervisor.termination_reason': 'max_rounds', 'supervisor.rounds': 10 });
      // Per round: plan (2 s), work (5 s), review (2 s); nothing accepted, so no final synthesis.
      expect(workflow.agentCalls).toBe(10 * 3);
      expect(workflow.latencyMs).toBe(10 * 9_000);
      expect(workflow.status).toBe('completed');
      expect(workflow.correct).toBe(false);
    }
  });

  it('stops on its token budget and on its time bound, recording why', async () => {
    const yaml = (limit: string): string => `
name: stubborn-worker
agents:
  manager: { role: plans, model: frontier, skill: 1, latency: 2s, outputTokens: 100, promptTokens: 0, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  worker: { role: wrong, model: small-fast, skill: 0, latency: 5s, outputTokens: 100, promptTokens: 0, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 3, labels: { yes: 1, no: 1 }, inputTokens: 1000 }
patterns:
  supervisor: { supervisor: manager, subtasks: [{ name: answer, worker: worker }], ${limit} }
`;
    const budget = await runOnce(scenarioFromYaml(yaml('tokenBudget: 10000')));
    const root = budget.sink!.spans.find((span) => span.parentSpanId === '')!;
    expect(root.attributes['patternbench.supervisor.termination_reason']).toBe('budget');
    // A hard limit: two rounds use 8,900 tokens, and the third plan (3,200 in + 100 out) cannot fit in the 1,100 left.
    expect(budget.sink!.workflows[0]!.inputTokens + budget.sink!.workflows[0]!.outputTokens).toBe(8_900);
    // Nothing was accepted: the workflow failed.
    expect(budget.sink!.workflows[0]).toMatchObject({ status: 'failed', errorType: 'budget_exceeded' });

    const timed = await runOnce(scenarioFromYaml(yaml('timeBound: 20s')));
    for (const workflow of timed.sink!.workflows) expect(workflow.latencyMs).toBe(20_000);
    const timedRoot = timed.sink!.spans.find((span) => span.parentSpanId === '')!;
    expect(timedRoot.attributes['patternbench.supervisor.termination_reason']).toBe('timeout');
  });
});
