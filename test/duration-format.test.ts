import { describe, it, expect } from 'vitest';
import { formatDuration, parseDuration } from '../harness/kernel/duration.ts';

describe('formatDuration', () => {
  it('uses ms below a second, with two decimals below 10 ms', () => {
    expect(formatDuration(0)).toBe('0.00ms');
    expect(formatDuration(0.04)).toBe('0.04ms');
    expect(formatDuration(9.5)).toBe('9.50ms');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(999)).toBe('999ms');
  });

  it('uses seconds below a minute, minutes below an hour, then hours', () => {
    expect(formatDuration(1000)).toBe('1.00s');
    expect(formatDuration(2500)).toBe('2.50s');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(60_000)).toBe('1.0m');
    expect(formatDuration(252_000)).toBe('4.2m');
    expect(formatDuration(3_600_000)).toBe('1.0h');
    expect(formatDuration(9_000_000)).toBe('2.5h');
  });

  it('prints non-finite values as they are', () => {
    expect(formatDuration(Infinity)).toBe('Infinity');
    expect(formatDuration(Number.NaN)).toBe('NaN');
  });

  it('round-trips through parseDuration for values it prints exactly', () => {
    for (const ms of [850, 2500, 120_000, 9_000_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
