import { describe, expect, it } from 'vitest';
import type { ThresholdResult } from '../reports/summary/threshold-eval.ts';
import { formatThresholdTable, formatThresholdValue, THRESHOLD_FIELDS } from '../reports/summary/threshold-format.ts';

const base: ThresholdResult = {
  runId: 'r1', scenario: 'support-routing-peak', pattern: 'router', variant: 'base', seed: 1, expression: 'router: p95(latency) < 20s',
  source: 'scenario', metric: 'p95(latency)', op: '<', limit: 20_000, unit: 'ms', observed: 12_345, passed: true, reason: null,
};
const results: ThresholdResult[] = [
  base,
  { ...base, expression: 'accuracy > 0.9', metric: 'accuracy', op: '>', limit: 0.9, unit: 'ratio', observed: 0.87, passed: false },
  {
    ...base, runId: 'r2', pattern: 'single-agent', expression: 'cost_per_correct < 0.1', source: 'cli', metric: 'cost_per_correct',
    limit: 0.1, unit: 'usd', observed: null, passed: false, reason: 'no workflow was correct',
  },
];

describe('formatThresholdTable', () => {
  it('prints ✓/✗ per run × threshold with observed and limit in the same unit, a note where data is missing, then a verdict', () => {
    const runLines = [
      '✓  support-routing-peak  router        base        1  router: p95(latency) < 20s     12.3s    20.0s',
      '✗  support-routing-peak  router        base        1  accuracy > 0.9                87.00%   90.00%',
      '✗  support-routing-peak  single-agent  base        1  cost_per_correct < 0.1             –  $0.1000  no workflow was correct',
    ];
    expect(formatThresholdTable(results, 'table')).toBe([
      '   scenario              pattern       variant  seed  threshold                   observed    limit  note',
      '─'.repeat((runLines[2] as string).length), // as wide as the widest line
      ...runLines,
      'thresholds: 1/3 passed, 2 failed',
    ].join('\n'));
  });

  it('leaves the note column out when every value was observed', () => {
    const lines = formatThresholdTable([base], 'table').split('\n');
    expect(lines[0]).toBe('   scenario              pattern  variant  seed  threshold                   observed  limit');
    expect(lines.at(-1)).toBe('thresholds: 1/1 passed');
  });

  it('renders markdown with the same cells and the verdict', () => {
    expect(formatThresholdTable(results.slice(1), 'markdown')).toBe([
      '|  | scenario | pattern | variant | seed | threshold | observed | limit | note |',
      '| --- | --- | --- | --- | ---: | --- | ---: | ---: | --- |',
      '| ✗ | support-routing-peak | router | base | 1 | accuracy > 0.9 | 87.00% | 90.00% |  |',
      '| ✗ | support-routing-peak | single-agent | base | 1 | cost_per_correct < 0.1 | – | $0.1000 | no workflow was correct |',
      '',
      'thresholds: 0/2 passed, 2 failed',
    ].join('\n'));
  });

  it('renders csv with every field unrounded, null as empty, and json as the results themselves', () => {
    const csv = formatThresholdTable(results, 'csv').split('\r\n');
    expect(csv[0]).toBe(THRESHOLD_FIELDS.join(','));
    expect(csv[1]).toBe('r1,support-routing-peak,router,base,1,router: p95(latency) < 20s,scenario,p95(latency),<,20000,ms,12345,true,');
    expect(csv[3]).toBe('r2,support-routing-peak,single-agent,base,1,cost_per_correct < 0.1,cli,cost_per_correct,<,0.1,usd,,false,no workflow was correct');
    expect(JSON.parse(formatThresholdTable(results, 'json'))).toEqual(results);
  });

  it('formats values by unit', () => {
    expect([
      formatThresholdValue(850, 'ms'), formatThresholdValue(95_000, 'ms'), formatThresholdValue(0.0104, 'ratio'), formatThresholdValue(0.0123, 'usd'),
      formatThresholdValue(1543.4, 'count'), formatThresholdValue(0.8, 'count'), formatThresholdValue(31.25, 'per_second'), formatThresholdValue(null, 'ms'),
    ]).toEqual(['850ms', '1.6m', '1.04%', '$0.0123', '1,543', '0.8', '31.3/s', '–']);
  });

  it('says so when there are no thresholds', () => {
    expect(formatThresholdTable([], 'table')).toBe('no thresholds');
    expect(formatThresholdTable([], 'markdown')).toBe('no thresholds');
  });
});
