import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../harness/agents/openai-response.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('retryAfterMs', () => {
  it('reads retry-after-ms first, then retry-after as seconds or an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250.5', 'retry-after': '9' }), NOW)).toBe(250.5);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), NOW)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.25' }), NOW)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:03 GMT' }), NOW)).toBe(3000);
  });

  it('never waits a negative time, and gives null when nothing parses', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 11:59:00 GMT' }), NOW)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeNull();
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '-5' }), NOW)).toBeNull();
    expect(retryAfterMs(new Headers(), NOW)).toBeNull();
  });
});
