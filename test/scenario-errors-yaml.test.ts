import { describe, expect, it } from 'vitest';
import { formatScenarioIssue, HarnessError, ScenarioError } from '../harness/kernel/errors.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { issuesOf, onlyIssue, yaml } from './support/scenario-issues.ts';

describe('scenario errors: the file itself', () => {
  it('a YAML syntax error, positioned by the YAML parser', () => {
    expect(formatScenarioIssue(onlyIssue(yaml('name: demo', '\tagents: {}')))).toBe(
      'bad.yaml:2:1 (yaml): YAML syntax error: Tabs are not allowed as indentation',
    );
  });

  it('every YAML syntax error, before any other check', () => {
    const issues = issuesOf(yaml('name: demo', 'agents:', '  solo: {role: Answers, model: frontier', 'cases:', '  inline: [', 'nonsense: 1'));
    expect(issues.map((issue) => issue.field)).toEqual(['(yaml)', '(yaml)']);
    expect(issues[0]?.line).toBe(4);
    expect(issues[0]?.message).toBe('YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }');
  });

  it('a key given twice is a syntax error', () => {
    expect(formatScenarioIssue(onlyIssue(yaml('name: demo', 'seed: 1', 'seed: 2')))).toBe(
      'bad.yaml:3:1 (yaml): YAML syntax error: Map keys must be unique',
    );
  });

  it('an empty file', () => {
    expect(formatScenarioIssue(onlyIssue('# nothing yet\n'))).toBe('bad.yaml:1:1 (scenario): the scenario file is empty');
  });

  it('a file that is a list, not a map', () => {
    expect(formatScenarioIssue(onlyIssue(yaml('- name: demo')))).toBe(
      'bad.yaml:1:1 (scenario): a scenario must be a map of settings (name, agents, cases, patterns, …)',
    );
  });

  it('a missing file is SCENARIO_NOT_FOUND, not a ScenarioError', () => {
    const missing = new URL('./fixtures/scenarios/no-such-file.yaml', import.meta.url).pathname;
    expect(() => compileScenarioFile(missing)).toThrow(HarnessError);
    expect(() => compileScenarioFile(missing)).not.toThrow(ScenarioError);
    expect(() => compileScenarioFile(missing)).toThrow(expect.objectContaining({ code: 'SCENARIO_NOT_FOUND' }));
  });
});
