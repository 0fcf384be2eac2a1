import { describe, expect, it } from 'vitest';
import type { SummaryRow } from '../reports/summary/summary.ts';
import { formatSummary, formatUsd } from '../reports/summary/format.ts';

const base: SummaryRow = {
  runId: 'x', scenario: 'legal-review', pattern: 'sequential', variant: 'base', seed: 42, runStatus: 'completed',
  arrivals: 1200, workflows: 1200, completed: 1188, failed: 12, dropped: 0, successRate: 0.99, scored: 1188, correct: 1034, accuracy: 0.870,
  accuracyLo: 0.841, accuracyHi: 0.895, accuracyCompleted: 0.8704, cases: 1200, repeats: 1, passAllK: 0.862, latencyP50Ms: 12_300, latencyP95Ms: 850, latencyP99Ms: 95_000,
  meanTokens: 15_432.6, totalCostUsd: 14.76, meanCostUsd: 0.0123, costPer1kUsd: 12.3, costPerCorrectUsd: 0.000456, meanAgentCalls: 4,
};
const rows: SummaryRow[] = [
  { ...base, pattern: 'fanout' },
  { ...base, pattern: 'single-agent', workflows: 5, failed: 0, accuracy: null, accuracyLo: null, accuracyHi: null, accuracyCompleted: null, costPerCorrectUsd: null },
  { ...base, scenario: 'triage', pattern: 'router', latencyP50Ms: null, latencyP95Ms: null, latencyP99Ms: null },
];

describe('formatSummary table', () => {
  const text = formatSummary(rows, 'table');
  const lines = text.split('\n');

  it('groups runs under one line per scenario, patterns side by side below it', () => {
    expect(lines.map((line) => line.trim().split(/\s{2,}/)[0])).toEqual([
      'scenario / pattern', expect.stringMatching(/^─+$/), 'legal-review', 'fanout', 'single-agent', 'triage', 'router',
    ]);
    expect(lines[3]?.startsWith('  fanout')).toBe(true);
  });

  it('aligns every column: header and run lines are equally long and numbers end at the same place', () => {
    const runLines = [lines[0], lines[3], lines[4], lines[6]] as string[];
    expect(new Set(runLines.map((line) => line.length)).size).toBe(1);
    expect(lines[1]?.length).toBe(lines[0]?.length);
    const end = (line: string, text: string): number => line.indexOf(text) + text.length;
    expect(end(lines[3] as string, '1,200')).toBe(end(lines[4] as string, '     5'));
    expect(end(lines[0] as string, 'dropped')).toBe(lines[0]?.length);
  });

  it('shows units: durations, dollars, percentages with the Wilson interval, – for none', () => {
    expect(lines[3]).toContain('87.0% [84.1–89.5]');
    expect(lines[3]).toContain('99.0%');
    expect(lines[3]).toMatch(/12\.3s\s+850ms\s+1\.6m/);
    expect(lines[3]).toMatch(/15,433\s+\$0\.0123\s+\$12\.30\s+\$0\.000456\s+4\.0\s+12\s+0$/);
    expect(lines[4]).toMatch(/99\.0%\s+–\s+–\s+–\s+12\.3s/);
    expect(lines[6]).toMatch(/87\.0% \[84\.1–89\.5\]\s+87\.0%\s+–\s+–\s+–\s+–\s+15,433/);
  });

  it('formats dollars by size', () => {
    expect([1234.5, 12.3, 0.0123, 0.000456, 0, -0.5].map(formatUsd)).toEqual(['$1,234.50', '$12.30', '$0.0123', '$0.000456', '$0', '-$0.5000']);
    expect(formatUsd(null)).toBe('–');
  });

  it('says so when there are no runs', () => {
    expect(formatSummary([], 'table')).toBe('no runs recorded');
  });
});
