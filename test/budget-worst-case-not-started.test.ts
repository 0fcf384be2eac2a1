import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const NO_FAULTS = 'faults: { error: 0, timeout: 0, rateLimit: 0 }';

/** Steps s1…s8, each reading only the previous output; `agent(name)` writes each agent's line. */
function chain(agent: (name: string) => string, budget: string, steps = 8): string {
  const names = Array.from({ length: steps }, (_, index) => `s${index + 1}`);
  return `
name: worst-case
agents:
${names.map((name) => `  ${name}: ${agent(name)}`).join('\n')}
cases:
  inline:
    - { inputTokens: 0, expected: { label: ok } }
labels: [ok, other]
patterns:
  sequential: { steps: [${names.join(', ')}], context: previous }
${budget}
`;
}

const fixed = (): string => `{ role: step, model: mid-tier, promptTokens: 0, outputTokens: 100, latency: 1s, ${NO_FAULTS} }`;

describe('a call whose worst case cannot fit in what is left of the budget is not started', () => {
  it('refuses s6 (100 in + at most 100 out) with 100 of 1,000 tokens left: no model attempt, and the workflow stays under its budget', async () => {
    const { sink } = await runOnce(scenarioFromYaml(chain(fixed, 'budgets: { workflow: { tokens: 1000 } }')));
    const workflow = sink!.workflows[0]!;
    expect(workflow).toMatchObject({ status: 'failed', errorType: 'budget_exceeded', failedStep: 's6', inputTokens: 400, outputTokens: 500, agentCalls: 6, modelAttempts: 5 });
    const s6 = sink!.spans.find((span) => span.name === 'invoke_agent s6')!;
    expect(sink!.spans.filter((span) => span.parentSpanId === s6.spanId)).toEqual([]);
    expect(s6.attributes['error.type']).toBe('budget_exceeded');
    const stops = sink!.aux.filter((record) => record.table === 'events' && record.row.kind === 'budget.stop').map((record) => record.row as EventRecord);
    expect(stops.map((event) => [event.subject, event.timeMs, JSON.parse(event.detail)['patternbench.budget.consumed']])).toEqual([['workflow.tokens', 5000, 900]]);
  });

  it("counts an agent's maxOutputTokens as its worst output: s2 (100 in, at most 150 out) does not start with 200 of 300 tokens left", async () => {
    const capped = (name: string): string =>
      name === 's1' ? fixed() : `{ role: step, model: mid-tier, promptTokens: 0, outputTokens: { dist: lognormal, p50: 60, p95: 120 }, maxOutputTokens: 150, latency: 1s, ${NO_FAULTS} }`;
    const { sink } = await runOnce(scenarioFromYaml(chain(capped, 'budgets: { workflow: { tokens: 300 } }', 2)));
    expect(sink!.workflows[0]).toMatchObject({ status: 'failed', errorType: 'budget_exceeded', failedStep: 's2', inputTokens: 0, outputTokens: 100, modelAttempts: 1 });
  });

  it('never lets a simulated answer run past maxOutputTokens', async () => {
    const agent = `{ role: step, model: mid-tier, promptTokens: 0, outputTokens: { dist: lognormal, p50: 150, p95: 600 }, maxOutputTokens: 200, latency: 1s, ${NO_FAULTS} }`;
    const yaml = chain(() => agent, '', 1).replace(/inline:\n.*\n/, 'generate: { count: 200, labels: { ok: 1 }, inputTokens: 0 }\n');
    const { sink } = await runOnce(scenarioFromYaml(yaml), { concurrency: 10 });
    const outputs = sink!.workflows.map((workflow) => workflow.outputTokens);
    expect(Math.max(...outputs)).toBe(200);
    // About 38 % of lognormal(p50 150, p95 600) lies above 200: the cap is reached, not merely respected.
    expect(outputs.filter((tokens) => tokens === 200).length).toBeGreaterThan(40);
  });
});
