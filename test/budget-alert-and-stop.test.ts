import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** A chain of 8 steps, 100 output tokens each, reading only the previous output (100 tokens): 100, 300, 500, 700, 900, 1100, … */
function scenario(budget: string): string {
  const steps = Array.from({ length: 8 }, (_, index) => `s${index + 1}`);
  const agents = steps
    .map((name) => `  ${name}: { role: ${name}, model: mid-tier, promptTokens: 0, outputTokens: 100, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }`)
    .join('\n');
  return `
name: budgeted
agents:
${agents}
cases:
  inline:
    - { inputTokens: 0, expected: { label: ok } }
labels: [ok, other]
patterns:
  sequential: { steps: [${steps.join(', ')}], context: previous }
budgets: ${budget}
`;
}

function budgetEvents(events: readonly EventRecord[]): { kind: string; subject: string; timeMs: number; consumed: unknown }[] {
  return events
    .filter((event) => event.kind.startsWith('budget.'))
    .map((event) => ({ kind: event.kind, subject: event.subject, timeMs: event.timeMs, consumed: (JSON.parse(event.detail) as Record<string, unknown>)['patternbench.budget.consumed'] }));
}

describe('budgets', () => {
  it('alerts at exactly 70 % of a workflow token budget and stops at the first call that cannot fit: it fails as budget_exceeded', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('{ workflow: { tokens: 1000 } }')));
    const events = sink!.aux.filter((record) => record.table === 'events').map((record) => record.row as EventRecord);
    // Step 4 ends at 4 s with 700 tokens consumed (70 %); step 6 (100 in, 100 out) cannot fit in the 100 left after step 5.
    expect(budgetEvents(events)).toEqual([
      { kind: 'budget.alert', subject: 'workflow.tokens', timeMs: 4000, consumed: 700 },
      { kind: 'budget.stop', subject: 'workflow.tokens', timeMs: 5000, consumed: 900 },
    ]);
    const [workflow] = sink!.workflows;
    expect(workflow).toMatchObject({ status: 'failed', errorType: 'budget_exceeded', failedStep: 's6', agentCalls: 6, modelAttempts: 5 });
    expect(JSON.parse(workflow!.facts ?? '{}')).toMatchObject({ 'budget.termination_reason': 'budget_exceeded' });
  });

  it('stops at exactly 100 % when a call lands on the limit', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('{ workflow: { tokens: 900 }, alertAt: 0.5 }')));
    const events = sink!.aux.filter((record) => record.table === 'events').map((record) => record.row as EventRecord);
    expect(budgetEvents(events)).toEqual([
      { kind: 'budget.alert', subject: 'workflow.tokens', timeMs: 3000, consumed: 500 },
      { kind: 'budget.stop', subject: 'workflow.tokens', timeMs: 5000, consumed: 900 },
    ]);
    expect(sink!.workflows[0]).toMatchObject({ status: 'failed', errorType: 'budget_exceeded', failedStep: 's6', inputTokens: 400, outputTokens: 500 });
  });

  it('a spent run budget stops the run from starting workflows', async () => {
    const yaml = scenario('{ run: { tokens: 2500 } }').replace('    - { inputTokens: 0, expected: { label: ok } }', '    - { inputTokens: 0, expected: { label: ok } }\n'.repeat(5).trimEnd());
    const fixed = yaml.replace(/- \{ inputTokens: 0/g, (match, offset: number) => `- { id: c${offset}, inputTokens: 0`);
    const { sink, outcome } = await runOnce(scenarioFromYaml(fixed));
    // Each workflow spends 1,500 tokens over its 8 calls at most; 2,500 is spent during the second workflow.
    expect(outcome.status).toBe('completed');
    expect(sink!.workflows.length).toBe(2);
    expect(sink!.workflows[1]).toMatchObject({ status: 'failed', errorType: 'budget_exceeded' });
    const stops = sink!.aux.filter((record) => record.table === 'events' && record.row.kind === 'budget.stop');
    expect(stops.map((record) => (record.row as EventRecord).subject)).toEqual(['run.tokens']);
  });
});
