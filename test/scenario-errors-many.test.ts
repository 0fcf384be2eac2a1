import { describe, expect, it } from 'vitest';
import { formatScenarioIssue, ScenarioError } from '../harness/kernel/errors.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { issuesOf, ONLY_SEQUENTIAL, yaml } from './support/scenario-issues.ts';

const text = yaml(
  'name: Legal Review',
  'agents:',
  '  extractor:',
  '    role: Extracts clauses',
  '    model: fronteir',
  '    skill: 2',
  '  classifier:',
  '    role: Classifies',
  '    model: small-fast',
  '    timeout: soon',
  'cases:',
  '  inline:',
  '    - {id: c1, expected: {label: a}}',
  '    - {id: c1, expected: {label: b}}',
  'patterns:',
  '  sequential: {steps: [extractor, ghost]}',
  '  fanout: {}',
);

describe('scenario errors: several at once', () => {
  it('reports every issue of the file in one error, in file order', () => {
    expect(issuesOf(text).map(formatScenarioIssue)).toEqual([
      'bad.yaml:1:7 name: must be lowercase letters, digits and \'-\', starting with a letter or digit, got "Legal Review"',
      "bad.yaml:5:12 agents.extractor.model: unknown model profile 'fronteir' (did you mean 'frontier'?); known: bert-classifier, frontier, mid-tier, rule-based, small-fast",
      'bad.yaml:6:12 agents.extractor.skill: must be at most 1, got number 2',
      'bad.yaml:10:14 agents.classifier.timeout: "soon" is not a duration (use e.g. "250ms", "3s", "2m", "1h")',
      "bad.yaml:14:12 cases.inline[1].id: duplicate case id 'c1' (already used by cases.inline[0])",
      "bad.yaml:16:35 patterns.sequential.steps[1]: agent 'ghost' is not defined; defined: classifier, extractor",
      "bad.yaml:17:3 patterns.fanout: pattern 'fanout' is not implemented yet (implemented: sequential)",
    ]);
  });

  it('puts one formatted line per issue in the error message', () => {
    expect(() => compileScenarioText(text, 'bad.yaml', { patterns: ONLY_SEQUENTIAL })).toThrow(ScenarioError);
    expect(() => compileScenarioText(text, 'bad.yaml', { patterns: ONLY_SEQUENTIAL })).toThrow(
      expect.objectContaining({ code: 'SCENARIO_INVALID', message: expect.stringMatching(/^bad\.yaml:1:7 name: .*\nbad\.yaml:5:12 /) }),
    );
  });
});
