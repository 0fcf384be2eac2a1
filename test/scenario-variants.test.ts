import { describe, expect, it } from 'vitest';
import { planRuns } from '../harness/run/matrix.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { mergeOverride } from '../harness/scenario/variants.ts';

const BASE = [
  'name: variants', //                                               1
  'agents:', //                                                      2
  '  classifier: { role: picks, model: small-fast, skill: 0.9 }', // 3
  '  worker: { role: works, model: mid-tier }', //                  4
  'cases:', //                                                       5
  '  generate: { count: 10, labels: { a: 1, b: 1 } }', //            6
  'patterns:', //                                                    7
  '  sequential: { steps: [classifier, worker] }', //                8
  '  single-agent: { agent: worker }', //                            9
  'variants:', //                                                    10
];

function compile(...variantLines: string[]): ReturnType<typeof compileScenarioText> {
  return compileScenarioText([...BASE, ...variantLines, ''].join('\n'), 'v.yaml');
}

function issuesOf(...variantLines: string[]): string[] {
  try {
    compile(...variantLines);
  } catch (error) {
    return (error as { issues: { line: number; column: number; field: string; message: string }[] }).issues.map(
      (issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`,
    );
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario variants', () => {
  it('compiles each variant as the scenario with its overrides merged in; null removes a key', () => {
    const scenario = compile('  rules:', '    agents: { classifier: { model: rule-based, skill: 0.7 } }', '    patterns: { single-agent: null }');
    expect(scenario.variant).toBe('base');
    const rules = scenario.variants.get('rules')!;
    expect(rules.variant).toBe('rules');
    expect(rules.agents.get('classifier')?.model.name).toBe('rule-based');
    expect(rules.agents.get('classifier')?.skill).toBe(0.7);
    expect(rules.agents.get('classifier')?.role).toBe('picks');
    expect(rules.agents.get('worker')).toEqual(scenario.agents.get('worker'));
    expect([...rules.patterns.keys()]).toEqual(['sequential']);
    expect([...scenario.patterns.keys()]).toEqual(['sequential', 'single-agent']);
    expect(scenario.agents.get('classifier')?.model.name).toBe('small-fast');
  });

  it('reports a bad value in a variant at the variant\'s own line and field', () => {
    expect(issuesOf('  rules:', '    agents: { classifier: { skill: 2 } }')).toEqual([
      '12:36 variants.rules.agents.classifier.skill: must be at most 1, got number 2',
    ]);
  });

  it('reports what a variant breaks elsewhere at the variant (an agent a pattern still needs)', () => {
    const issues = issuesOf('  lean:', '    agents: { classifier: null }');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^11:3 variants\.lean\.patterns\.sequential\.steps\[0\]: agent 'classifier' is not defined/);
  });

  it('rejects an unknown section and the reserved name base', () => {
    expect(issuesOf('  rules:', '    seed: 3')).toEqual([expect.stringMatching(/^12:5 variants\.rules\.seed: unknown key 'seed'/)]);
    expect(issuesOf('  base:', '    agents: { classifier: { skill: 0.5 } }')).toEqual([expect.stringMatching(/^11:3 variants\.base: variant names/)]);
  });

  it('puts every variant in the run matrix, and --variant filters them', () => {
    const scenario = compile('  rules:', '    agents: { classifier: { model: rule-based } }');
    const all = planRuns([scenario], { patterns: null, variants: null, seeds: null, cases: null, repeat: 1, concurrency: 1 });
    expect(all.map((spec) => `${spec.variant}/${spec.pattern}`)).toEqual(['base/sequential', 'base/single-agent', 'rules/sequential', 'rules/single-agent']);
    const rules = planRuns([scenario], { patterns: ['sequential'], variants: ['rules'], seeds: null, cases: null, repeat: 1, concurrency: 1 });
    expect(rules.map((spec) => spec.scenario.variant)).toEqual(['rules']);
    // Variants are fed the same cases.
    expect(all[2]?.cases).toEqual(all[0]?.cases);
  });

  it('merges maps key by key and replaces everything else (pure)', () => {
    expect(mergeOverride({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null, e: 'x' })).toEqual({ a: { b: 1, c: [3] }, e: 'x' });
  });
});
