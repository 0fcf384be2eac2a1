import { describe, expect, it } from 'vitest';
import { formatScenarioIssue } from '../harness/kernel/errors.ts';
import { issuesOf, onlyIssue, yaml } from './support/scenario-issues.ts';

function withCases(...caseLines: string[]): string {
  return yaml('name: demo', 'agents:', '  solo: {role: Answers, model: frontier}', ...caseLines, 'patterns:', '  sequential: {steps: [solo]}');
}

const reported = (text: string) => formatScenarioIssue(onlyIssue(text));

describe('scenario errors: agents and cases', () => {
  it('a duplicate case id, at the second id', () => {
    expect(reported(withCases('cases:', '  inline:', '    - {id: c1, expected: {label: a}}', '    - {id: c1, expected: {label: b}}'))).toBe(
      "bad.yaml:7:12 cases.inline[1].id: duplicate case id 'c1' (already used by cases.inline[0])",
    );
  });

  it('a case id clashing with a default id, at the case', () => {
    expect(reported(withCases('cases:', '  inline:', '    - {expected: {label: a}}', '    - {id: case-1, expected: {label: b}}'))).toBe(
      "bad.yaml:7:12 cases.inline[1].id: duplicate case id 'case-1' (already used by cases.inline[0])",
    );
  });

  it('both inline and generate', () => {
    expect(
      reported(withCases('cases:', '  inline:', '    - expected: {label: a}', '  generate: {count: 3, labels: {a: 1}}')),
    ).toBe("bad.yaml:5:3 cases: give either 'inline' (a list of cases) or 'generate' (synthetic cases), not both");
  });

  it('neither inline nor generate', () => {
    expect(reported(withCases('cases: {}'))).toBe(
      "bad.yaml:4:8 cases: must give 'inline' (a list of cases) or 'generate' (synthetic cases)",
    );
  });

  it('a case without any expected outcome', () => {
    expect(reported(withCases('cases:', '  inline:', '    - expected: {}'))).toBe(
      'bad.yaml:6:17 cases.inline[0].expected: must give at least one of label, findings or value',
    );
  });

  it('empty agents (the pattern then names an agent that is not defined)', () => {
    const issues = issuesOf(yaml('name: demo', 'agents: {}', 'cases:', '  inline:', '    - expected: {label: a}', 'patterns:', '  sequential: {steps: [solo]}'));
    expect(issues.map(formatScenarioIssue)).toEqual([
      'bad.yaml:2:9 agents: must define at least one agent',
      "bad.yaml:7:24 patterns.sequential.steps[0]: agent 'solo' is not defined; defined: (none)",
    ]);
  });

  it('agents left empty, at the key', () => {
    const issues = issuesOf(yaml('name: demo', 'agents:', 'cases:', '  inline:', '    - expected: {label: a}', 'patterns:', '  sequential: {steps: [solo]}'));
    expect(issues.map(formatScenarioIssue)[0]).toBe('bad.yaml:2:1 agents: must define at least one agent');
  });
});
