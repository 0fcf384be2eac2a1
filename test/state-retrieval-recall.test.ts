import { describe, expect, it } from 'vitest';
import { SeededRng } from '../harness/kernel/rng.ts';
import { missedPieces } from '../harness/pipeline/state/retrieval.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * Retrieval's recall: each piece a call needs (the case, each upstream output) is retrieved with
 * probability `recall`, and each miss multiplies the call's chance of being right by
 * `missAccuracy`. With skill p and one piece (a single agent) a workflow is right with
 * p × (recall + (1 − recall) × missAccuracy). Tolerances are five standard errors of the sample.
 */

const N = 10_000;

function scenario(pattern: string, state: string): string {
  return `
name: state-recall
agents:
  a: { role: answers, model: mid-tier, skill: 0.9, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  b: { role: answers, model: mid-tier, skill: 0.9, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: ${N}, labels: { yes: 1, no: 1, maybe: 1 } }
patterns:
${pattern}
${state}`;
}

async function run(yaml: string) {
  const { sink } = await runOnce(scenarioFromYaml(yaml), { concurrency: 200 });
  if (sink === null) throw new Error('no sink');
  return sink.workflows;
}

describe('state: retrieval recall', () => {
  it('a single agent is right with p × (recall + (1 − recall) × missAccuracy): 0.9 × (0.6 + 0.4 × 0.25) = 0.63', async () => {
    const workflows = await run(scenario('  single-agent: { agent: a }', 'state: { strategy: retrieval, queryLatency: 100ms, recall: 0.6, missAccuracy: 0.25 }'));
    expect(workflows).toHaveLength(N);
    const accuracy = workflows.filter((workflow) => workflow.correct === true).length / N;
    const expected = 0.9 * (0.6 + 0.4 * 0.25);
    expect(Math.abs(accuracy - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / N));
  });

  it('with recall 1 a single agent is right with its skill, as without state', async () => {
    const workflows = await run(scenario('  single-agent: { agent: a }', 'state: { strategy: retrieval, queryLatency: 100ms }'));
    const accuracy = workflows.filter((workflow) => workflow.correct === true).length / N;
    expect(Math.abs(accuracy - 0.9)).toBeLessThan(5 * Math.sqrt((0.9 * 0.1) / N));
    expect(workflows.every((workflow) => !(workflow.facts ?? '').includes('state.missed'))).toBe(true);
  });

  it('a chain of 2 misses (1 − recall) × (1 + 2) pieces per workflow on average: the second step also needs the first one\'s output', async () => {
    const workflows = await run(scenario('  sequential: { steps: [a, b] }', 'state: { strategy: retrieval, queryLatency: 100ms, recall: 0.7 }'));
    const missed = workflows.map((workflow) => (JSON.parse(workflow.facts ?? '{}') as Record<string, number>)['state.missed'] ?? 0);
    const mean = missed.reduce((sum, count) => sum + count, 0) / N;
    // Var of a sum of 3 Bernoulli(0.3) draws: 3 × 0.21.
    expect(Math.abs(mean - 0.3 * 3)).toBeLessThan(5 * Math.sqrt((3 * 0.21) / N));
  });

  it('draws nothing when recall is 1, and one draw per piece otherwise', () => {
    const rng = new SeededRng(3);
    expect(missedPieces(rng, 5, 1)).toBe(0);
    expect(missedPieces(rng, 5, 0)).toBe(5);
    const fresh = new SeededRng(3);
    for (let piece = 0; piece < 5; piece++) fresh.next();
    expect(rng.next()).toBe(fresh.next());
  });
});
