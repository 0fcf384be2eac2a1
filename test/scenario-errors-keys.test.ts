import { describe, expect, it } from 'vitest';
import { formatScenarioIssue } from '../harness/kernel/errors.ts';
import { issuesOf, onlyIssue, yaml } from './support/scenario-issues.ts';

const tail = ['cases:', '  inline:', '    - expected: {label: a}', 'patterns:', '  sequential: {steps: [solo]}'];

describe('scenario errors: unknown keys point at the key', () => {
  it('a misspelt top-level key, with a suggestion', () => {
    const issue = onlyIssue(yaml('name: demo', 'sede: 4', 'agents:', '  solo: {role: Answers, model: frontier}', ...tail));
    expect(formatScenarioIssue(issue)).toBe("bad.yaml:2:1 sede: unknown key 'sede' (did you mean 'seed'?)");
  });

  it('a misspelt key inside an agent, with a suggestion', () => {
    const issue = onlyIssue(
      yaml('name: demo', 'agents:', '  solo:', '    role: Answers', '    model: frontier', '    promt_tokens: 1200', ...tail),
    );
    expect(formatScenarioIssue(issue)).toBe(
      "bad.yaml:6:5 agents.solo.promt_tokens: unknown key 'promt_tokens' (did you mean 'promptTokens'?)",
    );
  });

  it('an unknown key with no near match lists the allowed keys', () => {
    const issue = onlyIssue(yaml('name: demo', 'agents:', '  solo:', '    role: Answers', '    model: frontier', '    colour: red', ...tail));
    expect(issue.field).toBe('agents.solo.colour');
    expect([issue.line, issue.column]).toEqual([6, 5]);
    expect(issue.message).toBe(
      "unknown key 'colour' (allowed: role, model, promptTokens, outputTokens, maxOutputTokens, tools, toolCalls, toolLatency, skill, recovery, cacheHitRate, outputs, latency, faults, retry, timeout, scope, pool, batch, breaker, fallback, outputSchema, onViolation, compensation, endpoint, accessRoles, toolPolicy, trust, injectionCarry, injectionAction, needs)",
    );
  });

  it('a misspelt key inside a distribution, suggesting the key still missing', () => {
    const issues = issuesOf(
      yaml('name: demo', 'agents:', '  solo:', '    role: Answers', '    model: frontier', '    outputTokens: {dist: lognormal, p50: 400, p59: 900}', ...tail),
    );
    expect(issues.map(formatScenarioIssue)).toEqual([
      'bad.yaml:6:5 agents.solo.outputTokens.p95: is required',
      "bad.yaml:6:47 agents.solo.outputTokens.p59: unknown key 'p59' (did you mean 'p95'?)",
    ]);
  });

  it("a misspelt key inside a pattern's configuration", () => {
    const issue = onlyIssue(
      yaml('name: demo', 'agents:', '  solo: {role: Answers, model: frontier}', 'cases:', '  inline:', '    - expected: {label: a}', 'patterns:', '  sequential:', '    steps: [solo]', '    contxt: previous'),
    );
    expect(formatScenarioIssue(issue)).toBe("bad.yaml:10:5 patterns.sequential.contxt: unknown key 'contxt' (did you mean 'context'?)");
  });
});
