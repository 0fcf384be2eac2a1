import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../harness/scenario/model-profiles.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { issuesOf, ONLY_SEQUENTIAL, yaml } from './support/scenario-issues.ts';

function withModels(...modelLines: string[]): string {
  return yaml(
    'name: demo',
    'models:',
    ...modelLines,
    'agents:',
    '  solo: {role: Answers, model: frontier}',
    'cases:',
    '  inline:',
    '    - expected: {label: a}',
    'patterns:',
    '  sequential: {steps: [solo]}',
  );
}

const frontier = BUILTIN_PROFILES.get('frontier');
const midTier = BUILTIN_PROFILES.get('mid-tier');

describe('scenario compiler: model profiles', () => {
  it('deep-merges an override into a built-in profile, keeping the fields it does not name', () => {
    const scenario = compileScenarioText(
      withModels('  frontier:', '    pricing: {inputPerMTok: 2.5}', '    faults: {error: 0.02}', '    ttft: {dist: lognormal, p50: 1s, p95: 3s}'),
      'demo.yaml',
      { patterns: ONLY_SEQUENTIAL },
    );
    const profile = scenario.models.get('frontier');
    expect(profile?.pricing).toEqual({ inputPerMTok: 2.5, outputPerMTok: frontier?.pricing.outputPerMTok, cachedInputPerMTok: frontier?.pricing.cachedInputPerMTok });
    expect(profile?.faults).toEqual({ ...frontier?.faults, error: 0.02 });
    expect(profile?.ttftMs).toEqual({ kind: 'lognormal', p50: 1000, p95: 3000 });
    expect(profile?.contextWindow).toBe(frontier?.contextWindow);
    expect(scenario.agents.get('solo')?.model).toBe(profile);
    expect(BUILTIN_PROFILES.get('frontier')?.pricing.inputPerMTok).toBe(3);
  });

  it('builds a new profile from the one it extends, also through another scenario profile', () => {
    const scenario = compileScenarioText(
      withModels('  eu-mini:', '    extends: mid-tier', '    region: eu-west-1', '  eu-mini-cheap:', '    extends: eu-mini', '    pricing: {outputPerMTok: 1}'),
      'demo.yaml',
      { patterns: ONLY_SEQUENTIAL },
    );
    expect(scenario.models.get('eu-mini')).toEqual({ ...midTier, name: 'eu-mini', region: 'eu-west-1', source: expect.any(String) });
    const cheap = scenario.models.get('eu-mini-cheap');
    expect(cheap?.region).toBe('eu-west-1');
    expect(cheap?.pricing).toEqual({ ...midTier?.pricing, outputPerMTok: 1 });
    expect(cheap?.model).toBe(midTier?.model);
  });

  it('reports a new profile without `extends` at its key', () => {
    const issues = issuesOf(withModels('  my-model:', '    region: eu-west-1'));
    expect(issues.map((issue) => `${issue.line}:${issue.column} ${issue.field}`)).toEqual(['3:3 models.my-model']);
    expect(issues[0]?.message).toMatch(/^new model profile 'my-model' must say which profile it extends/);
  });

  it('reports an unknown profile in `extends`', () => {
    const issues = issuesOf(withModels('  my-model:', '    extends: mid-teir'));
    expect(issues.map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`)).toEqual([
      "4:14 models.my-model.extends: unknown model profile 'mid-teir' (did you mean 'mid-tier'?); known: bert-classifier, frontier, mid-tier, rule-based, small-fast",
    ]);
  });

  it('reports profiles that extend each other in a cycle', () => {
    const issues = issuesOf(withModels('  a: {extends: b}', '  b: {extends: a}'));
    expect(issues.map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`)).toEqual([
      '3:16 models.a.extends: model profiles extend each other in a cycle: a → b → a',
    ]);
  });
});
