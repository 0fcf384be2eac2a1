import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const fixed = 'latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 }';
const scenario = scenarioFromYaml(`
name: gaps
agents:
  lead: { role: plans and reviews, model: frontier, skill: 1, ${fixed} }
  sizing: { role: sizing, model: mid-tier, skill: 1, scope: [sizing], ${fixed} }
  pricing: { role: pricing, model: mid-tier, skill: 1, scope: [pricing], ${fixed} }
  regulation: { role: regulation, model: mid-tier, skill: 1, scope: [regulation], ${fixed} }
cases:
  generate:
    count: 300
    findings:
      pool: [sizing:small, sizing:large, pricing:cheap, regulation:licence]
      rate: 0.5
scoring: { scorer: set-overlap, passAt: 1 }
patterns:
  supervisor:
    supervisor: lead
    subtasks: [{ name: sizing, worker: sizing }, { name: pricing, worker: pricing }]
    followUps: [{ name: regulation, worker: regulation }]
`);

describe('supervisor gap follow-ups', () => {
  it('dispatches the follow-up exactly when the case has findings in the gap, and then gets every finding right', async () => {
    const { sink } = await runOnce(scenario);
    const { materialiseCases } = await import('../harness/run/cases.ts');
    const cases = new Map(materialiseCases(scenario, null).map((item) => [item.id, item]));
    let gaps = 0;
    for (const workflow of sink!.workflows) {
      const root = sink!.spans.find((span) => span.traceId === workflow.traceId && span.parentSpanId === '')!;
      const needed = (cases.get(workflow.caseId)!.expected.findings ?? []).includes('regulation:licence');
      if (needed) gaps++;
      expect(root.attributes['patternbench.supervisor.follow_ups']).toBe(needed ? 'regulation' : '');
      expect(root.attributes['patternbench.supervisor.termination_reason']).toBe('completed');
      expect(workflow.correct).toBe(true);
      // Round 1: plan, 2 × (work + review); round 2: plan (spots the gap or not), then the gap's
      // work + review when needed; nothing left open, so the synthesis.
      expect(workflow.agentCalls).toBe(needed ? 1 + 4 + 1 + 2 + 1 : 1 + 4 + 1 + 1);
    }
    expect(gaps).toBeGreaterThan(100);
    expect(gaps).toBeLessThan(200);
  });
});
