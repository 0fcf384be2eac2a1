import { describe, expect, it } from 'vitest';
import { formatScenarioIssue } from '../harness/kernel/errors.ts';
import { onlyIssue, yaml } from './support/scenario-issues.ts';

function reported(...privacyLines: string[]): string {
  return formatScenarioIssue(
    onlyIssue(
      yaml(
        'name: demo',
        'agents:',
        '  solo: {role: Answers, model: frontier, needs: [customer_emial]}',
        'cases:',
        '  inline:',
        '    - {input: {customer_email: a@example.com}, expected: {label: a}}',
        'patterns:',
        '  sequential: {steps: [solo]}',
        ...privacyLines,
      ),
    ),
  );
}

describe('scenario errors: data classes, needs and regions', () => {
  it('an agent that needs a field without a data class', () => {
    expect(reported('dataClasses: {customer_email: email}')).toBe(
      "bad.yaml:3:50 agents.solo.needs[0]: 'customer_emial' has no data class (fields in dataClasses: customer_email)",
    );
  });

  it('regions for a data class no field has', () => {
    expect(reported('dataClasses: {customer_email: email, customer_emial: email}', 'dataClassRegions: {emial: [eu]}')).toBe(
      "bad.yaml:10:20 dataClassRegions.emial: no field has data class 'emial' (classes in dataClasses: email)",
    );
  });
});
