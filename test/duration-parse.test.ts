import { describe, it, expect } from 'vitest';
import { parseDuration } from '../harness/kernel/duration.ts';
import { HarnessError } from '../harness/kernel/errors.ts';

describe('parseDuration', () => {
  it('reads each unit into milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('3s')).toBe(3000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('40us')).toBeCloseTo(0.04, 12);
  });

  it('accepts fractions and surrounding or inner spaces', () => {
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('.5s')).toBe(500);
    expect(parseDuration(' 2 ms ')).toBe(2);
    expect(parseDuration('0s')).toBe(0);
  });

  it('reads numbers as milliseconds', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(0.25)).toBe(0.25);
  });

  const INVALID: readonly (string | number)[] = ['3 sec', '-1s', '', '1.5', 'ms', '3S', '1e3ms', -1, Number.NaN, Infinity];
  for (const bad of INVALID) {
    it(`rejects ${JSON.stringify(bad) ?? String(bad)} (${String(bad)}) with DURATION_INVALID`, () => {
      expect(() => parseDuration(bad)).toThrow(HarnessError);
      expect(() => parseDuration(bad)).toThrow(expect.objectContaining({ code: 'DURATION_INVALID' }));
    });
  }

  it('names the offending text and suggests the accepted forms', () => {
    expect(() => parseDuration('3 sec')).toThrow('"3 sec" is not a duration (use e.g. "250ms", "3s", "2m", "1h")');
    expect(() => parseDuration(-1)).toThrow('duration must be a non-negative number of milliseconds, got -1');
  });
});
