/**
 * `DurationHistogram.record` holds counts indexes and adds them to its buckets in batches
 * (harness/kernel/hdr.ts): whatever reads the buckets — a quantile, the encoding, `add` — must see
 * every value recorded before it, and when the batches are added must change nothing.
 */
import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../harness/kernel/hdr.ts';

/** 1, 2, …, n ms. */
function upTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

function recorded(values: readonly number[], readEvery: number | null): DurationHistogram {
  const histogram = DurationHistogram.create();
  values.forEach((value, i) => {
    histogram.record(value);
    if (readEvery !== null && (i + 1) % readEvery === 0) histogram.quantileMs(0.5);
  });
  return histogram;
}

describe('DurationHistogram: counts held between batches', () => {
  it('reads every value recorded so far, at any point of a batch', () => {
    const histogram = DurationHistogram.create();
    // 1 … 200 ms: the nearest-rank median of the first n values is ⌈n/2⌉ ms, read as the highest
    // value of its HDR bucket (at most 0.1 % above it).
    for (const value of upTo(200)) {
      histogram.record(value);
      const wanted = Math.ceil(value / 2);
      const median = histogram.quantileMs(0.5) as number;
      expect(median).toBeGreaterThanOrEqual(wanted);
      expect(median).toBeLessThanOrEqual(wanted * 1.001 + 0.001);
      expect(histogram.quantileMs(1)).toBeGreaterThanOrEqual(value);
    }
    expect(histogram.count).toBe(200);
  });

  it('encodes the same whether or not it was read between records', () => {
    const values = upTo(1_000).map((i) => (i * 7919) % 1_000 + 0.5);
    const unread = recorded(values, null).encode();
    for (const every of [1, 3, 63, 64, 65, 500]) expect(recorded(values, every).encode()).toBe(unread);
    // 1,000 values, one count each: the decoded histogram counts them all.
    expect(DurationHistogram.decode(unread).count).toBe(1_000);
  });

  it('adds the held values of the histogram added, and keeps its own', () => {
    const values = upTo(130);
    const left = recorded(values.slice(0, 70), null);
    const right = recorded(values.slice(70), null);
    left.add(right);
    // The whole 1 … 130 recorded into one histogram, with nothing read.
    expect(left.encode()).toBe(recorded(values, null).encode());
    expect(left.count).toBe(130);
    expect(left.quantileMs(0)).toBe(1);
  });
});
