import { describe, expect, it } from 'vitest';
import { formatScenarioIssue } from '../harness/kernel/errors.ts';
import { onlyIssue, yaml } from './support/scenario-issues.ts';

function scenario(model: string, patternLines: string[]): string {
  return yaml(
    'name: demo',
    'agents:',
    `  solo: {role: Answers, model: ${model}}`,
    '  classifier: {role: Classifies, model: small-fast}',
    'cases:',
    '  inline:',
    '    - expected: {label: a}',
    'patterns:',
    ...patternLines,
  );
}

const reported = (model: string, ...patternLines: string[]) => formatScenarioIssue(onlyIssue(scenario(model, patternLines)));

describe('scenario errors: names that refer to nothing', () => {
  it('an agent a pattern references that is not defined', () => {
    expect(reported('frontier', '  sequential: {steps: [solo, clasifier]}')).toBe(
      "bad.yaml:9:30 patterns.sequential.steps[1]: agent 'clasifier' is not defined (did you mean 'classifier'?); defined: classifier, solo",
    );
  });

  it('an unknown model profile', () => {
    expect(reported('fronteir', '  sequential: {steps: [solo]}')).toBe(
      "bad.yaml:3:32 agents.solo.model: unknown model profile 'fronteir' (did you mean 'frontier'?); known: bert-classifier, frontier, mid-tier, rule-based, small-fast",
    );
  });

  it('an unknown pattern, at its key', () => {
    expect(reported('frontier', '  pipeline: {steps: [solo]}')).toBe(
      "bad.yaml:9:3 patterns.pipeline: unknown pattern 'pipeline'; known: fanout, hybrid, router, sequential, single-agent, supervisor",
    );
    expect(reported('frontier', '  sequental: {steps: [solo]}')).toBe(
      "bad.yaml:9:3 patterns.sequental: unknown pattern 'sequental' (did you mean 'sequential'?); known: fanout, hybrid, router, sequential, single-agent, supervisor",
    );
  });

  it('a pattern that is not implemented yet, at its key', () => {
    expect(reported('frontier', '  sequential: {steps: [solo]}', '  fanout: {}')).toBe(
      "bad.yaml:10:3 patterns.fanout: pattern 'fanout' is not implemented yet (implemented: sequential)",
    );
  });
});
