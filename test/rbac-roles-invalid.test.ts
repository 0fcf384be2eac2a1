import { describe, expect, it } from 'vitest';
import { ScenarioError, formatScenarioIssue } from '../harness/kernel/errors.ts';
import { scenarioFromYaml } from './support/run-scenario.ts';

/** A scenario whose agent `solo` carries `agentExtra` lines, under `top` top-level lines. */
function yaml(top: string, agentExtra: string): string {
  return [
    'name: demo',
    top,
    'agents:',
    '  solo:',
    '    role: Answers',
    '    model: frontier',
    agentExtra,
    'cases:',
    '  inline:',
    '    - expected: {label: a}',
    'patterns:',
    '  single-agent: {agent: solo}',
  ].join('\n');
}

function issuesOf(text: string): string[] {
  try {
    scenarioFromYaml(text);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map(formatScenarioIssue);
    throw error;
  }
  return [];
}

describe('RBAC and trust settings are checked when the scenario compiles', () => {
  it('a role the scenario does not define, with the nearest defined one', () => {
    expect(issuesOf(yaml('roles: {support: [kb-search]}', '    accessRoles: [suport]'))).toEqual([
      "test.yaml:7:19 agents.solo.accessRoles[0]: role 'suport' is not defined (did you mean 'support'?); defined: support",
    ]);
  });

  it('accessRoles without any roles: section', () => {
    expect(issuesOf(yaml('', '    accessRoles: [support]'))).toEqual([
      "test.yaml:7:19 agents.solo.accessRoles[0]: role 'support' is not defined: the scenario has no 'roles:'",
    ]);
  });

  it('an injectionAction on an agent that is not elevated', () => {
    expect(issuesOf(yaml('', '    injectionAction: crm-write.update-owner'))).toEqual([
      'test.yaml:7:22 agents.solo.injectionAction: only applies to an agent with trust: elevated (solo is standard)',
    ]);
  });

  it('valid settings compile, with their defaults', () => {
    const scenario = scenarioFromYaml(yaml('roles: {support: [kb-search, crm.*]}', '    accessRoles: [support]\n    trust: untrusted'));
    const { allowedTools, ...rest } = scenario.access;
    expect(new Map(allowedTools)).toEqual(new Map([['solo', ['crm.*', 'kb-search']]]));
    expect(rest).toEqual({ onDenied: 'fail', sanitise: false, detection: 0.95 });
    expect(scenario.agents.get('solo')?.access).toEqual({ roles: ['support'], onDenied: null, trust: 'untrusted', injectionCarry: 0, injectionAction: null });
    expect(scenario.terminology).toEqual({ glossary: [], drift: 0 });
  });
});
