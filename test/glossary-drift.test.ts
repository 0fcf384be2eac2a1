import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const CASES = 2000;
const DRIFT = 0.2;

/**
 * Three always-right analysts fan out on each case and their labels are merged: without drift
 * they always agree. `extra` adds the terminology settings under test.
 */
function scenario(extra: string): string {
  return `
name: glossary
${extra}
agents:
  analyst:
    role: Classifies the case
    model: mid-tier
    latency: 1s
    skill: 1
    faults: { error: 0, timeout: 0, rateLimit: 0 }
cases:
  generate: { count: ${CASES}, labels: { approve: 1, decline: 1 } }
patterns:
  fanout: { workers: [analyst, analyst, analyst], merge: vote }
`;
}

async function conflicts(extra: string): Promise<number[]> {
  const { sink } = await runOnce(scenarioFromYaml(scenario(extra)));
  return sink!.workflows.map((workflow) => Number((JSON.parse(workflow.facts ?? '{}') as Record<string, unknown>)['fanout.conflicts'] ?? 0));
}

describe('shared glossary', () => {
  it('terminology drift raises fan-in conflicts at the closed-form rate; a glossary removes every one', async () => {
    expect((await conflicts('')).every((count) => count === 0)).toBe(true);

    // Each output drifts to the synonym with p = 0.2: the three agree only when none or all drift,
    // so P(conflict) = 1 − (0.8³ + 0.2³) = 0.48 (± 5 sd = 0.056 over 2000 workflows).
    const drifted = await conflicts(`terminologyDrift: ${DRIFT}`);
    const expected = 1 - ((1 - DRIFT) ** 3 + DRIFT ** 3);
    const share = drifted.filter((count) => count > 0).length / CASES;
    expect(Math.abs(share - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / CASES));
    expect(Math.max(...drifted)).toBe(1);

    const shared = await conflicts(`terminologyDrift: ${DRIFT}\nglossary: { approve: Grant the claim, decline: Refuse the claim }`);
    expect(shared.every((count) => count === 0)).toBe(true);
  });

  it('a glossary covers only its terms: a label missing from it still drifts', async () => {
    const partial = await conflicts(`terminologyDrift: ${DRIFT}\nglossary: { approve: Grant the claim }`);
    // Half the cases are 'decline' (not in the glossary): about half the drifted rate.
    const share = partial.filter((count) => count > 0).length / CASES;
    const expected = 0.5 * (1 - ((1 - DRIFT) ** 3 + DRIFT ** 3));
    expect(Math.abs(share - expected)).toBeLessThan(5 * Math.sqrt(0.25 / CASES) + 5 * Math.sqrt((expected * (1 - expected)) / CASES));
  });
});
