import { describe, expect, it } from 'vitest';
import { formatScenarioIssue } from '../harness/kernel/errors.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { ONLY_SEQUENTIAL, onlyIssue, yaml } from './support/scenario-issues.ts';

function scenario(compensation: string): string {
  return yaml(
    'name: demo',
    'agents:',
    `  charge: {role: Charges, model: mid-tier, compensation: ${compensation}}`,
    '  refund: {role: Refunds, model: mid-tier}',
    'cases:',
    '  inline:',
    '    - expected: {label: a}',
    'patterns:',
    '  sequential: {steps: [charge]}',
  );
}

describe('scenario compensation: the compensating agent', () => {
  it('compiles to the agent it names; agents without one have null', () => {
    const compiled = compileScenarioText(scenario('{agent: refund}'), 'good.yaml', { patterns: ONLY_SEQUENTIAL });
    expect(compiled.agents.get('charge')?.compensation).toEqual({ agent: 'refund' });
    expect(compiled.agents.get('refund')?.compensation).toBeNull();
  });

  it('must be defined, with a hint at the misspelt name', () => {
    expect(formatScenarioIssue(onlyIssue(scenario('{agent: refnud}')))).toBe(
      "bad.yaml:3:66 agents.charge.compensation.agent: agent 'refnud' is not defined (did you mean 'refund'?); defined: charge, refund",
    );
  });

  it('must be another agent', () => {
    expect(formatScenarioIssue(onlyIssue(scenario('{agent: charge}')))).toBe(
      'bad.yaml:3:66 agents.charge.compensation.agent: an agent cannot compensate itself: name the agent that undoes its side effect',
    );
  });

  it('takes no other keys', () => {
    expect(onlyIssue(scenario('{agent: refund, when: always}')).field).toBe('agents.charge.compensation.when');
  });
});
