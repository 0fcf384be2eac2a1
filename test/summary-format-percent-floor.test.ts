import { describe, expect, it } from 'vitest';
import { formatMetricValue } from '../reports/compare/format.ts';
import { summaryTable } from '../reports/html/tables.ts';
import { formatReliabilityBlock, type RunReliability } from '../reports/summary/reliability.ts';
import { formatSummary } from '../reports/summary/format.ts';
import type { SummaryRow } from '../reports/summary/summary.ts';

/** 2,000 arrivals, 1 failed, 1 dropped: 1,998 completed, 1,990 right. */
const row: SummaryRow = {
  runId: 'x', scenario: 'triage', pattern: 'router', variant: 'base', seed: 1, runStatus: 'completed',
  arrivals: 2000, workflows: 1999, completed: 1998, failed: 1, dropped: 1, successRate: 1998 / 2000,
  scored: 1998, correct: 1997, accuracy: 1997 / 2000, accuracyLo: 0.9955, accuracyHi: 0.9995, accuracyCompleted: 1997 / 1998,
  cases: 200, repeats: 1, passAllK: null, latencyP50Ms: 1000, latencyP95Ms: 2000, latencyP99Ms: 3000,
  meanTokens: 100, totalCostUsd: 1, meanCostUsd: 0.0005, costPer1kUsd: 0.5, costPerCorrectUsd: 0.0005, meanAgentCalls: 1,
};

describe('success and accuracy percentages round down', () => {
  it('never prints 100.0 % beside a failure or a drop: 199/200 is 99.5 %, 1999/2000 is 99.9 %', () => {
    const table = formatSummary([{ ...row, completed: 199, failed: 1, dropped: 0, arrivals: 200, workflows: 200, successRate: 199 / 200 }], 'table');
    expect(table).toContain('99.5%');
    const line = formatSummary([row], 'table').split('\n')[3] as string;
    expect(line).not.toContain('100.0%');
    expect(line).toMatch(/ 99\.9% /); // success 1998/2000
    expect(line).toMatch(/99\.8% \[99\.5–99\.9\]/); // accuracy 1997/2000, with its interval
    expect(formatMetricValue('proportion', 1999 / 2000)).toBe('99.9%');
    expect(formatMetricValue('proportion', 1)).toBe('100.0%');
    expect(summaryTable([row])).not.toContain('100.0%');
  });

  it('shows the dropped arrivals and the accuracy of the completed workflows as columns of their own', () => {
    const [header, , , line] = formatSummary([{ ...row, dropped: 1234 }], 'table').split('\n') as string[];
    expect(header).toMatch(/\bdropped\b/);
    expect(header).toMatch(/\bacc\. completed\b/);
    expect(line).toMatch(/\b1,234\b/);
    expect(line).toMatch(/ 99\.9% /); // 1997/1998 = 99.95 %: rounded down
    expect(summaryTable([row])).toContain('data-field="dropped"');
    expect(summaryTable([row])).toContain('data-field="accuracyCompleted"');
  });

  it('rounds the reliability block\'s completion rate down too', () => {
    const run: RunReliability = {
      runId: 'x', scenario: 'triage', pattern: 'router', variant: 'base', completionRate: 1999 / 2000, latencyP95Ms: 1000,
      retriesPerWorkflow: 0, failures: [['timeout', 1]], breakerTrips: 0, fallbacks: 0, deadLetters: 1, compensations: 0,
      uncompensated: 0, budgetStops: 0, meanCostUsd: 0.001,
    };
    expect(formatReliabilityBlock([run])).toMatch(/ 99\.9% /);
  });
});
