import { describe, expect, it } from 'vitest';
import type { ThresholdResult } from '../reports/summary/threshold-eval.ts';
import { formatThresholdTable } from '../reports/summary/threshold-format.ts';

const result = (metric: string, observed: number, limit: number): ThresholdResult => ({
  runId: 'r', scenario: 's', pattern: 'router', variant: 'base', seed: 1, expression: `${metric} > ${limit}`, source: 'cli',
  metric, op: '>', limit, unit: 'ratio', observed, passed: observed > limit, reason: null,
});

describe('the threshold table rounds an observed accuracy or success rate down', () => {
  it('shows a failed `accuracy > 85%` below its limit, and never 100.00% for 19,999 of 20,000', () => {
    const [, , failed, almost, errors] = formatThresholdTable(
      [result('accuracy', 0.849996, 0.85), result('success_rate', 19_999 / 20_000, 0.999), result('error_rate', 0.0000496, 0.00001)],
      'table',
    ).split('\n');
    expect(failed).toMatch(/✗.*84\.99%\s+85\.00%$/);
    expect(almost).toMatch(/✓.*99\.99%\s+99\.90%$/);
    // An error rate is rounded to the nearest, as before: rounding a bad rate down would flatter it.
    expect(errors).toMatch(/0\.00%\s+0\.00%$/);
  });
});
