import { describe, expect, it } from 'vitest';
import { scoreOutput } from '../harness/run/scorers.ts';
import { scenarioFromYaml } from './support/run-scenario.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';

const base = `
name: scored
agents:
  solo: { role: answers, model: mid-tier }
cases:
  inline:
    - { expected: { label: approve, value: 1000 } }
patterns:
  sequential: { steps: [solo] }
`;

describe('numeric-tolerance and custom scorers', () => {
  it('numeric tolerance: relative by default, absolute when asked; a missing value is wrong', () => {
    const relative = { kind: 'numeric-tolerance', tolerance: 0.05, absolute: false } as const;
    expect(scoreOutput(relative, { value: 200 }, { agent: 'x', tokens: 1, value: 210 })?.correct).toBe(true);
    expect(scoreOutput(relative, { value: 200 }, { agent: 'x', tokens: 1, value: 210.5 })?.correct).toBe(false);
    expect(scoreOutput(relative, { value: 200 }, { agent: 'x', tokens: 1, value: 150 })?.score).toBeCloseTo(0.75, 12);
    expect(scoreOutput(relative, { value: 200 }, { agent: 'x', tokens: 1 })?.correct).toBe(false);
    const absolute = { kind: 'numeric-tolerance', tolerance: 3, absolute: true } as const;
    expect(scoreOutput(absolute, { value: 200 }, { agent: 'x', tokens: 1, value: 203 })?.correct).toBe(true);
    expect(scoreOutput(absolute, { value: 200 }, { agent: 'x', tokens: 1, value: 204 })?.correct).toBe(false);
  });

  it('custom: loads a TypeScript export named in the scenario, resolved against the scenario file, and uses it', () => {
    const scenario = compileScenarioText(
      `${base}scoring: { scorer: custom, module: scorers/claim-scorer.ts, export: scoreClaim }\n`,
      new URL('./fixtures/scenario.yaml', import.meta.url).pathname,
    );
    expect(scenario.scorer.kind).toBe('custom');
    const expected = { label: 'approve', value: 1000 };
    expect(scoreOutput(scenario.scorer, expected, { agent: 'x', tokens: 1, label: 'approve', value: 1015 })).toEqual({ correct: true, score: 0.985, name: 'custom:scoreClaim' });
    expect(scoreOutput(scenario.scorer, expected, { agent: 'x', tokens: 1, label: 'approve', value: 1100 })?.correct).toBe(false);
    expect(scoreOutput(scenario.scorer, expected, { agent: 'x', tokens: 1, label: 'deny' })?.correct).toBe(false);
  });

  it('custom: a missing module or export is a scenario error at scoring.module / scoring.export', () => {
    expect(() => scenarioFromYaml(`${base}scoring: { scorer: custom, module: nowhere/missing.ts }\n`)).toThrow(
      /test\.yaml:\d+:\d+ scoring\.module: custom scorer module not found: .*nowhere\/missing\.ts/,
    );
    expect(() =>
      compileScenarioText(`${base}scoring: { scorer: custom, module: scorers/claim-scorer.ts, export: nope }\n`, new URL('./fixtures/scenario.yaml', import.meta.url).pathname),
    ).toThrow(/scoring\.export: scorers\/claim-scorer\.ts has no exported function 'nope'/);
    expect(() => scenarioFromYaml(`${base}scoring: { scorer: exact-label, tolerance: 0.1 }\n`)).toThrow(
      /scoring\.tolerance: only applies to scorer numeric-tolerance/,
    );
  });
});
