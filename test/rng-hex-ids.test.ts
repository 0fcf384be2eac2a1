import { describe, it, expect } from 'vitest';
import { SeededRng, randomHexId } from '../harness/kernel/rng.ts';

describe('randomHexId', () => {
  it('makes 16-character span ids and 32-character trace ids of lowercase hex', () => {
    const rng = new SeededRng(3);
    for (let i = 0; i < 1000; i++) {
      expect(randomHexId(rng, 8)).toMatch(/^[0-9a-f]{16}$/);
      expect(randomHexId(rng, 16)).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('uses every hex digit in every position', () => {
    const rng = new SeededRng(4);
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const id = randomHexId(rng, 16);
      for (let p = 0; p < 32; p++) seen[p]!.add(id[p]!);
    }
    expect(seen.map((s) => s.size)).toEqual(new Array<number>(32).fill(16));
  });

  it('never repeats over 1e5 span ids or 1e5 trace ids', () => {
    const rng = new SeededRng(5);
    const spans = new Set<string>();
    const traces = new Set<string>();
    for (let i = 0; i < 1e5; i++) {
      spans.add(randomHexId(rng, 8));
      traces.add(randomHexId(rng, 16));
    }
    expect(spans.size).toBe(1e5);
    expect(traces.size).toBe(1e5);
  });

  it('is reproducible from the seed', () => {
    const a = new SeededRng(6);
    const b = new SeededRng(6);
    for (let i = 0; i < 100; i++) expect(randomHexId(a, 16)).toBe(randomHexId(b, 16));
  });

  it('writes words big-endian, most significant digit first', () => {
    const words = [0x0123abcd, 0xfedc9876, 0x00000001, 0x80000000];
    const next = { nextUint32: () => words.shift() ?? 0 };
    expect(randomHexId(next, 16)).toBe('0123abcdfedc98760000000180000000');
  });

  it('redraws rather than return the all-zero id OpenTelemetry rejects', () => {
    const words = [0, 0, 0, 0, 0, 7];
    let calls = 0;
    const stub = {
      nextUint32: () => {
        calls++;
        return words.shift() ?? 0;
      },
    };
    expect(randomHexId(stub, 8)).toBe('0000000000000007');
    expect(calls).toBe(6);
    words.push(0, 0, 0, 0, 0, 0, 0, 9);
    calls = 0;
    expect(randomHexId(stub, 16)).toBe('00000000000000000000000000000009');
    expect(calls).toBe(8);
  });
});
