import { describe, it, expect } from 'vitest';
import { SeededRng, deriveRng, hashKey, mixSeed } from '../harness/kernel/rng.ts';

function draws(rng: SeededRng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('SeededRng determinism', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draws(new SeededRng(12345), 1000)).toEqual(draws(new SeededRng(12345), 1000));
    expect(draws(new SeededRng(7, 99), 1000)).toEqual(draws(new SeededRng(7, 99), 1000));
  });

  it('reseed() restarts exactly like a fresh generator', () => {
    const rng = new SeededRng(1);
    draws(rng, 57);
    rng.reseed(12345, 6);
    expect(draws(rng, 500)).toEqual(draws(new SeededRng(12345, 6), 500));
  });

  it('takes seeds modulo 2^32', () => {
    expect(draws(new SeededRng(-1), 50)).toEqual(draws(new SeededRng(0xffffffff), 50));
    expect(draws(new SeededRng(2 ** 32 + 5), 50)).toEqual(draws(new SeededRng(5), 50));
  });

  it('gives different sequences for different seeds, second seed words and stream keys', () => {
    const base = draws(deriveRng(42, 'latency', 0, 'agent-a'), 20);
    const others = [
      draws(new SeededRng(43), 20),
      draws(new SeededRng(42, 1), 20),
      draws(deriveRng(43, 'latency', 0, 'agent-a'), 20),
      draws(deriveRng(42, 'tokens', 0, 'agent-a'), 20),
      draws(deriveRng(42, 'latency', 1, 'agent-a'), 20),
      draws(deriveRng(42, 'latency', 0, 'agent-b'), 20),
      draws(deriveRng(42, 'latency', 0), 20),
    ];
    for (const other of others) {
      // Unrelated 32-bit sequences share a value at the same position with probability 2^-32 each.
      const same = base.filter((v, i) => v === other[i]).length;
      expect(same).toBe(0);
    }
  });

  it('deriveRng hashes string keys like hashKey and mixSeed do by hand', () => {
    const byHand = new SeededRng(mixSeed(9, hashKey('faults'), 17, hashKey('router')));
    expect(draws(deriveRng(9, 'faults', 17, 'router'), 100)).toEqual(draws(byHand, 100));
  });

  it('mixSeed is order- and length-sensitive', () => {
    const a = hashKey('a');
    const b = hashKey('b');
    expect(mixSeed(1, a, b)).not.toBe(mixSeed(1, b, a));
    expect(mixSeed(1, a)).not.toBe(mixSeed(1, a, 0));
    expect(mixSeed(1)).not.toBe(mixSeed(1, 0));
    expect(mixSeed(1, a, b)).toBe(mixSeed(1, a, b));
  });
});
