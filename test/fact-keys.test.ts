import { describe, expect, it } from 'vitest';
import { FactKeys } from '../harness/run/run-context.ts';

describe('FactKeys', () => {
  it('keys a fact in the workflow row without the attribute prefix, and other attributes as they are', () => {
    const keys = new FactKeys();
    expect(keys.of('patternbench.router.label')).toBe('router.label');
    expect(keys.of('dlq.replay_of')).toBe('dlq.replay_of');
    // A name that merely starts like the prefix keeps its own spelling.
    expect(keys.of('patternbenchmark.x')).toBe('patternbenchmark.x');
  });

  it('gives the same key for the same attribute every time, however the attribute name was built', () => {
    const keys = new FactKeys();
    const prefix = 'patternbench.';
    const first = keys.of(`${prefix}fanout.successes`);
    expect(keys.of('patternbench.fanout.successes')).toBe(first);
    expect(first).toBe('fanout.successes');
  });
});
