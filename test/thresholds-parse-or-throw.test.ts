import { describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/kernel/errors.ts';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';

describe('parseThresholdOrThrow', () => {
  it('returns the spec of a valid threshold', () => {
    expect(parseThresholdOrThrow('router: error_rate < 1%')).toMatchObject({ expression: 'router: error_rate < 1%', limit: 0.01 });
  });

  it('throws a USAGE HarnessError quoting the threshold and the parser message', () => {
    const attempt = (): unknown => parseThresholdOrThrow(' p95(latency) < 500 ');
    expect(attempt).toThrow(HarnessError);
    expect(attempt).toThrow(expect.objectContaining({
      code: 'USAGE',
      message: 'threshold "p95(latency) < 500": "500" has no unit: p95(latency) takes a duration with a unit, e.g. 20s or 250ms',
    }));
  });
});
