import { describe, expect, it } from 'vitest';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { ONLY_SEQUENTIAL } from './support/scenario-issues.ts';

const file = new URL('./fixtures/scenarios/full.yaml', import.meta.url).pathname;

describe('scenario compiler: the result is deep-frozen', () => {
  const scenario = compileScenarioFile(file, { patterns: ONLY_SEQUENTIAL });

  it('rejects assignment at the top level and deep inside (strict mode)', () => {
    expect(() => {
      (scenario as { seed: number }).seed = 7;
    }).toThrow(TypeError);
    const agent = scenario.agents.get('extractor');
    expect(() => {
      (agent as { skill: number }).skill = 0;
    }).toThrow(TypeError);
    expect(() => {
      (agent?.model.pricing as { inputPerMTok: number }).inputPerMTok = 0;
    }).toThrow(TypeError);
    expect(() => {
      (agent?.tools as string[]).push('x');
    }).toThrow(TypeError);
    expect(() => {
      (scenario.labels as string[])[0] = 'x';
    }).toThrow(TypeError);
    const item = scenario.cases.kind === 'inline' ? scenario.cases.items[0] : undefined;
    expect(() => {
      (item?.input as Record<string, unknown>)['text'] = 'changed';
    }).toThrow(TypeError);
    expect(scenario.seed).toBe(42);
  });

  it('exposes maps that cannot be changed', () => {
    for (const map of [scenario.agents, scenario.patterns, scenario.models] as Map<unknown, unknown>[]) {
      const size = map.size;
      expect(() => map.set('x', 1)).toThrow(TypeError);
      expect(() => map.delete([...map.keys()][0])).toThrow(TypeError);
      expect(() => map.clear()).toThrow(TypeError);
      expect(map.size).toBe(size);
      expect(Object.isFrozen(map)).toBe(true);
    }
    expect(Object.isFrozen(scenario.patterns.get('sequential'))).toBe(true);
    expect(Object.isFrozen(scenario.models.get('my-eu-model'))).toBe(true);
  });
});
