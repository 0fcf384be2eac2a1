import { describe, expect, it } from 'vitest';
import { formatScenarioIssue } from '../harness/kernel/errors.ts';
import { onlyIssue, yaml } from './support/scenario-issues.ts';

/** A valid scenario whose one agent has `agentLine` added (line 6). */
function withAgentLine(agentLine: string): string {
  return yaml(
    'name: demo',
    'agents:',
    '  solo:',
    '    role: Answers',
    '    model: frontier',
    agentLine,
    'cases:',
    '  inline:',
    '    - expected: {label: a}',
    'patterns:',
    '  sequential: {steps: [solo]}',
  );
}

const reported = (agentLine: string) => formatScenarioIssue(onlyIssue(withAgentLine(agentLine)));

describe('scenario errors: bad values point at the value', () => {
  it('wrong type', () => {
    expect(reported('    cacheHitRate: fast')).toBe('bad.yaml:6:19 agents.solo.cacheHitRate: must be a number, got string "fast"');
  });

  it('negative rate', () => {
    expect(reported('    recovery: -0.1')).toBe('bad.yaml:6:15 agents.solo.recovery: must be at least 0, got number -0.1');
  });

  it('rate above 1', () => {
    expect(reported('    skill: 1.5')).toBe('bad.yaml:6:12 agents.solo.skill: must be at most 1, got number 1.5');
  });

  it('fault rates summing above 1', () => {
    expect(reported('    faults: {error: 0.6, timeout: 0.3, rateLimit: 0.2}')).toBe(
      'bad.yaml:6:13 agents.solo.faults: fault rates add up to 1.1 (error 0.6 + timeout 0.3 + rateLimit 0.2); they must add up to at most 1',
    );
  });

  it('fault rates summing above 1 once merged over the model profile', () => {
    // frontier's own rateLimit (0.005) pushes 0.6 + 0.4 over 1.
    expect(reported('    faults: {error: 0.6, timeout: 0.4}')).toMatch(/^bad\.yaml:6:13 agents\.solo\.faults: fault rates add up to 1\.005 /);
  });

  it('p95 below p50', () => {
    expect(reported('    outputTokens: {dist: lognormal, p50: 400, p95: 200}')).toBe(
      'bad.yaml:6:52 agents.solo.outputTokens.p95: p95 (200) must be greater than p50 (400)',
    );
  });

  it('bad duration string', () => {
    expect(reported('    timeout: 3 seconds')).toBe(
      'bad.yaml:6:14 agents.solo.timeout: "3 seconds" is not a duration (use e.g. "250ms", "3s", "2m", "1h")',
    );
  });

  it('bad duration string inside a duration distribution', () => {
    expect(reported('    latency: {dist: uniform, min: 1s, max: soon}')).toBe(
      'bad.yaml:6:44 agents.solo.latency.max: "soon" is not a duration (use e.g. "250ms", "3s", "2m", "1h")',
    );
  });

  it('an unknown distribution name', () => {
    expect(reported('    outputTokens: {dist: gamma, mean: 3}')).toBe(
      'bad.yaml:6:26 agents.solo.outputTokens.dist: must be one of fixed, uniform, normal, lognormal, exponential, empirical, got string "gamma"',
    );
  });

  it('a value of the wrong kind for a distribution', () => {
    expect(reported('    outputTokens: [300]')).toBe(
      'bad.yaml:6:19 agents.solo.outputTokens: must be a number or a distribution such as {dist: lognormal, p50: 400, p95: 900}, got a list',
    );
  });
});
