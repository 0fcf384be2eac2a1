import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

// Fixed latencies and sizes, no faults, a researcher that is always right: every prediction of its
// output can be right, so the hit share is `predictability` itself.
const agents = `
agents:
  researcher: { role: researches, model: mid-tier, latency: 3s, outputTokens: 200, skill: 1, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  drafter: { role: drafts, model: mid-tier, latency: 5s, outputTokens: 300, skill: 0.8, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: COUNT, labels: { yes: 1, no: 1 }, inputTokens: 1000 }
network:
  hopOverhead: 0ms
`;

/** A two-step chain, the second step speculating with `speculate` (none: plain). */
function chain(speculate: string | null, count = 200): ReturnType<typeof scenarioFromYaml> {
  const second = speculate === null ? 'drafter' : `{ agent: drafter, speculate: { on: researcher, ${speculate} } }`;
  return scenarioFromYaml(`name: speculation-fixed\n${agents.replace('COUNT', String(count))}\npatterns:\n  sequential:\n    steps: [researcher, ${second}]\n`);
}

async function workflowsOf(speculate: string | null, count = 200): Promise<WorkflowRecord[]> {
  const { sink } = await runOnce(chain(speculate, count), { concurrency: 1 });
  return sink?.workflows ?? [];
}

const facts = (workflow: WorkflowRecord): Record<string, unknown> => JSON.parse(workflow.facts ?? '{}') as Record<string, unknown>;
const tokens = (workflow: WorkflowRecord): number => workflow.inputTokens + workflow.outputTokens;

describe('a speculative chain step (fixed latencies researcher 3 s, drafter 5 s)', () => {
  it('with predictability 0 and discard takes the sum, 8 s, and bills the whole wasted call on top', async () => {
    const plain = await workflowsOf(null);
    const speculated = await workflowsOf('predictability: 0');
    expect(plain.map((w) => w.latencyMs)).toEqual(plain.map(() => 8000));
    expect(speculated.map((w) => w.latencyMs)).toEqual(plain.map(() => 8000));
    // The drafter's speculative call read the prediction (200 tokens, as the real output) on top of its prompt and the case.
    const wasted = 500 + 1000 + 200 + 300;
    speculated.forEach((workflow, index) => {
      const before = plain[index] as WorkflowRecord;
      expect(facts(workflow)['speculation.drafter.outcome']).toBe('miss');
      expect(facts(workflow)['speculation.drafter.wasted_tokens']).toBe(wasted);
      expect(tokens(workflow)).toBe(tokens(before) + wasted);
      expect(workflow.agentCalls).toBe(3);
      expect(workflow.correct).toBe(before.correct);
    });
  });

  it('with predictability 1 takes the max of the two steps, 5 s, with the same tokens, cost and answers', async () => {
    const plain = await workflowsOf(null);
    const speculated = await workflowsOf('predictability: 1');
    speculated.forEach((workflow, index) => {
      const before = plain[index] as WorkflowRecord;
      expect(workflow.latencyMs).toBe(5000);
      expect(facts(workflow)['speculation.drafter.outcome']).toBe('hit');
      expect(facts(workflow)['speculation.drafter.saved_ms']).toBe(3000);
      expect(facts(workflow)['speculation.drafter.wasted_tokens']).toBe(0);
      expect(tokens(workflow)).toBe(tokens(before));
      expect(workflow.costUsd).toBeCloseTo(before.costUsd, 12);
      expect(workflow.correct).toBe(before.correct);
    });
  });

  it('with cancel, a miss bills the speculative call its input and the output streamed until the real output arrived', async () => {
    const speculated = await workflowsOf('predictability: 0, onMiss: cancel');
    // Cut at 3 s of a 5 s answer of 300 tokens generated evenly: 180 tokens streamed, all of the input.
    const wasted = 500 + 1000 + 200 + 180;
    for (const workflow of speculated) {
      expect(workflow.latencyMs).toBe(8000);
      expect(facts(workflow)['speculation.drafter.wasted_tokens']).toBe(wasted);
    }
  });

  it('with predictability p, hits a share p of the workflows and takes p·max + (1 − p)·sum on average', async () => {
    const n = 2000;
    const p = 0.7;
    const workflows = await workflowsOf(`predictability: ${p}`, n);
    const hits = workflows.filter((workflow) => facts(workflow)['speculation.drafter.outcome'] === 'hit').length;
    // Binomial(n, p): 6 standard deviations (≈ 61 of 2000) never flake.
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(hits - n * p)).toBeLessThan(6 * sd);
    // Each workflow takes exactly 5 s (hit) or 8 s (miss): the mean follows the hit count exactly,
    // and its expectation p·5 + (1 − p)·8 within 6 σ of the hit share (3 s each).
    const mean = workflows.reduce((sum, workflow) => sum + workflow.latencyMs, 0) / n;
    expect(mean).toBeCloseTo((hits * 5000 + (n - hits) * 8000) / n, 9);
    expect(Math.abs(mean - (p * 5000 + (1 - p) * 8000))).toBeLessThan((6 * sd * 3000) / n);
  });
});
