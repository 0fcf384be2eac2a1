import { describe, expect, it } from 'vitest';
import { scenarioFromYaml } from './support/run-scenario.ts';

const base = `
name: governed
agents:
  desk: { role: answers, model: mid-tier, tools: [crm-read] }
cases:
  inline:
    - { input: { email: a@example.com }, expected: { label: ok } }
patterns:
  single-agent: { agent: desk }
`;

describe('audit default', () => {
  it('audits a scenario that governs data or tools, and not a plain comparison, unless told', () => {
    expect(scenarioFromYaml(base).audit).toBe(false);
    expect(scenarioFromYaml(`${base}dataClasses: { email: email }\n`).audit).toBe(true);
    expect(scenarioFromYaml(`${base}roles: { support: [crm-read] }\n`).audit).toBe(true);
    expect(scenarioFromYaml(`${base}audit: on\n`).audit).toBe(true);
    expect(scenarioFromYaml(`${base}dataClasses: { email: email }\naudit: off\n`).audit).toBe(false);
  });
});
