import { describe, expect, it } from 'vitest';
import { onlyIssue, yaml } from './support/scenario-issues.ts';

/** A scenario whose agent `solo` (line 3) has the given model and `endpoint:` (line 6). */
const withEndpoint = (endpoint: string, model = 'mid-tier'): string =>
  yaml('name: demo', 'agents:', '  solo:', '    role: Answers', `    model: ${model}`, `    endpoint: ${endpoint}`, 'cases:', '  inline:', '    - expected: { label: ok }', 'patterns:', '  sequential: { steps: [solo] }');

describe('scenario errors: endpoint', () => {
  it('rejects a base URL that is not http(s)', () => {
    const issue = onlyIssue(withEndpoint('{ baseUrl: "ftp://example.com/v1" }'));
    expect([issue.field, issue.message]).toEqual(['agents.solo.endpoint.baseUrl', 'baseUrl must be an http(s) URL, got "ftp://example.com/v1"']);
  });

  it('rejects credentials in the base URL', () => {
    const issue = onlyIssue(withEndpoint('{ baseUrl: "https://user:secret@example.com/v1" }'));
    expect([issue.field, issue.line]).toEqual(['agents.solo.endpoint.baseUrl', 6]);
    expect(issue.message).toBe('baseUrl must not carry credentials: put the API key in an environment variable and name it in apiKeyEnv');
  });

  it('rejects an apiKeyEnv that is not a variable name (a key pasted in by mistake, say)', () => {
    const issue = onlyIssue(withEndpoint('{ baseUrl: "https://example.com/v1", apiKeyEnv: "sk-abc-123" }'));
    expect([issue.field, issue.message]).toEqual(['agents.solo.endpoint.apiKeyEnv', 'apiKeyEnv names an environment variable (letters, digits, \'_\'), got "sk-abc-123"']);
  });

  it('rejects a real agent on a rule-based profile', () => {
    const issue = onlyIssue(withEndpoint('{ baseUrl: "https://example.com/v1" }', 'rule-based'));
    expect([issue.field, issue.message]).toEqual(['agents.solo.endpoint', "a real agent needs a model: profile 'rule-based' is rule-based"]);
  });
});
