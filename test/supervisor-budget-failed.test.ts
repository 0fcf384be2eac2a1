import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const NO_FAULTS = 'faults: { error: 0, timeout: 0, rateLimit: 0 }';

/**
 * The workers are always wrong and the manager's review always catches it. Round 1: plan 4,000 by
 * 1 s; w1's 19,000 at 11 s, rejected at 12 s (33,000); w2's 19,000 at 21 s crosses the 50,000
 * budget and cuts w3. Nothing was accepted.
 */
const yaml = (limit: string): string => `
name: budget-nothing-accepted
agents:
  manager: { role: plans and reviews, model: mid-tier, promptTokens: 0, outputTokens: 1000, skill: 1, latency: 1s, ${NO_FAULTS} }
  w1: { role: worker, model: mid-tier, promptTokens: 0, outputTokens: 9000, skill: 0, latency: 10s, ${NO_FAULTS} }
  w2: { role: worker, model: mid-tier, promptTokens: 0, outputTokens: 9000, skill: 0, latency: 20s, ${NO_FAULTS} }
  w3: { role: worker, model: mid-tier, promptTokens: 0, outputTokens: 9000, skill: 0, latency: 30s, ${NO_FAULTS} }
cases:
  generate: { count: 1, labels: { yes: 1, no: 1 }, inputTokens: 10000 }
patterns:
  supervisor:
    supervisor: manager
    subtasks: [{ name: a, worker: w1 }, { name: b, worker: w2 }, { name: c, worker: w3 }]
    ${limit === 'tokenBudget' ? 'tokenBudget: 50000' : ''}
${limit === 'budgets' ? 'budgets: { workflow: { tokens: 50000 } }' : ''}
`;

describe('a supervisor stopped by a budget', () => {
  for (const limit of ['tokenBudget', 'budgets'] as const) {
    it(`fails as budget_exceeded when nothing was accepted (${limit}), and still records its rounds and rejections`, async () => {
      const { sink } = await runOnce(scenarioFromYaml(yaml(limit)));
      const workflow = sink!.workflows[0]!;
      expect(workflow).toMatchObject({ status: 'failed', errorType: 'budget_exceeded', failedStep: 'manager', endMs: 21_000 });
      expect(JSON.parse(workflow.facts ?? '{}')).toMatchObject({
        'supervisor.termination_reason': 'budget',
        'supervisor.rounds': 1,
        // w1's result was reviewed and rejected; w2's review was refused and w3 was cut: neither is a rejection.
        'supervisor.rejections': 1,
        'supervisor.accepted': 0,
      });
    });
  }
});
