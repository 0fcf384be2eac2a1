import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

// A realistic chain: drawn sizes and latencies, the model profiles' own fault rates (so retries
// happen), a researcher that is wrong one time in five and a drafter that recovers some of it.
const scenarioText = (drafter: string, outer = 'sequential:\n    steps') => `
name: speculation-correctness
seed: 7
agents:
  researcher: { role: researches, model: small-fast, outputTokens: { dist: lognormal, p50: 400, p95: 900 }, skill: 0.8 }
  drafter: { role: drafts, model: mid-tier, outputTokens: { dist: lognormal, p50: 700, p95: 1500 }, skill: 0.9, recovery: 0.4 }
  editor: { role: edits, model: small-fast, skill: 0.95 }
cases:
  generate: { count: 400, labels: { approve: 0.6, revise: 0.3, reject: 0.1 }, inputTokens: { dist: lognormal, p50: 3000, p95: 9000 } }
patterns:
  ${outer}: [researcher, ${drafter}, editor]
`;

async function workflowsOf(drafter: string, outer?: string, concurrency = 4): Promise<WorkflowRecord[]> {
  const { sink } = await runOnce(scenarioFromYaml(scenarioText(drafter, outer)), { concurrency });
  return [...(sink?.workflows ?? [])].sort((a, b) => a.workflowId - b.workflowId);
}

const outcomes = (workflows: readonly WorkflowRecord[]): string[] =>
  workflows.map((workflow) => String((JSON.parse(workflow.facts ?? '{}') as Record<string, unknown>)['speculation.drafter.outcome']));

describe('a speculative step never changes the answer', () => {
  it.each([
    ['predictability 0.5, discard', '{ agent: drafter, speculate: { on: researcher, predictability: 0.5 } }'],
    ['predictability 0.5, cancel', '{ agent: drafter, speculate: { on: researcher, predictability: 0.5, onMiss: cancel } }'],
    ['predictability 0.9', '{ agent: drafter, speculate: { on: researcher, predictability: 0.9 } }'],
    ['predictability 1', '{ agent: drafter, speculate: { on: researcher, predictability: 1 } }'],
  ])('%s: each workflow is right exactly when it is right without speculation', async (_name, drafter) => {
    const plain = await workflowsOf('drafter');
    const speculated = await workflowsOf(drafter);
    expect(speculated.map((workflow) => workflow.correct)).toEqual(plain.map((workflow) => workflow.correct));
    expect(speculated.map((workflow) => workflow.status)).toEqual(plain.map((workflow) => workflow.status));
    // Both outcomes happen (the researcher is wrong one time in five: never predicted), so the claim is tested on each.
    const seen = new Set(outcomes(speculated));
    expect(seen.has('hit')).toBe(true);
    expect(seen.has('miss')).toBe(true);
  });

  it('draws its hits and misses the same way run after run, and whatever the concurrency', async () => {
    const drafter = '{ agent: drafter, speculate: { on: researcher, predictability: 0.6 } }';
    const first = await workflowsOf(drafter);
    expect(await workflowsOf(drafter)).toEqual(first);
    expect(outcomes(await workflowsOf(drafter, undefined, 1))).toEqual(outcomes(first));
  });

  it('the same speculative step inside a hybrid gives the same answers and outcomes as in the plain chain', async () => {
    const drafter = '{ agent: drafter, speculate: { on: researcher, predictability: 0.7 } }';
    const plain = await workflowsOf(drafter);
    const hybrid = await workflowsOf(drafter, 'hybrid:\n    sequential:\n      steps');
    expect(hybrid.map((workflow) => workflow.correct)).toEqual(plain.map((workflow) => workflow.correct));
    expect(outcomes(hybrid)).toEqual(outcomes(plain));
  });
});
