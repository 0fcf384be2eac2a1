import { describe, expect, it } from 'vitest';
import { fieldOwners, SharedState } from '../patterns/fanout-state.ts';

describe('fan-out shared state (pure, no clock)', () => {
  it('last-write-wins: both writes land and the second, which never saw the first, loses it (counted)', () => {
    const state = new SharedState('last-write-wins', new Map());
    const a = state.snapshot(['total']);
    const b = state.snapshot(['total']);
    expect(state.write('a', ['total'], a).status).toBe('written');
    expect(state.write('b', ['total'], b).status).toBe('written');
    expect(state.counts()).toEqual({ writes: 2, lostUpdates: 1, conflicts: 0, rejected: 0 });
  });

  it('optimistic: the stale write is refused as a conflict and succeeds after a re-read', () => {
    const state = new SharedState('optimistic', new Map());
    const a = state.snapshot(['total', 'notes']);
    const b = state.snapshot(['total']);
    expect(state.write('a', ['total', 'notes'], a).status).toBe('written');
    expect(state.write('b', ['total'], b).status).toBe('conflict');
    expect(state.write('b', ['total'], state.snapshot(['total'])).status).toBe('written');
    expect(state.counts()).toEqual({ writes: 3, lostUpdates: 0, conflicts: 1, rejected: 0 });
  });

  it('partitioned: a field belongs to the first worker listing it; others are rejected (counted)', () => {
    const owners = fieldOwners(['a', 'b'], { a: ['total'], b: ['total', 'notes'] });
    expect([...owners]).toEqual([['total', 'a'], ['notes', 'b']]);
    const state = new SharedState('partitioned', owners);
    state.write('b', ['total', 'notes'], state.snapshot(['total', 'notes']));
    state.write('a', ['total'], state.snapshot(['total']));
    expect(state.counts()).toEqual({ writes: 2, lostUpdates: 0, conflicts: 0, rejected: 1 });
  });
});
