/**
 * The duration histograms behind `histograms` and `span_metrics` (harness/kernel/hdr.ts) count in
 * HdrHistogram's own layout: for the same values they encode byte for byte what `hdr-histogram-js`
 * encodes, read back any encoding it writes (merged ones included), add exactly, and give its
 * percentiles, min, max and mean.
 */
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { countsIndex, DurationHistogram, valueAtIndex } from '../harness/kernel/hdr.ts';
import { deriveRng } from '../harness/kernel/rng.ts';

const reference = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2, numberOfSignificantValueDigits: 3, autoResize: true, bitBucketSize: 32, useWebAssembly: false });

const QUANTILES = [0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

/** Durations (ms) spread log-uniformly over `decades` decades from `fromMs`. */
function durations(seed: number, count: number, fromMs: number, decades: number): number[] {
  const rng = deriveRng(seed, 'hdr-encoding');
  return Array.from({ length: count }, () => fromMs * 10 ** (rng.next() * decades));
}

// From sub-millisecond tool calls to day-long waits, and the empty and single-value histograms.
const CASES: readonly [string, number[]][] = [
  ['empty', []],
  ['one value', [42.5]],
  ['µs to ms', durations(1, 10_000, 0.001, 3)],
  ['ms to minutes', durations(2, 50_000, 1, 5)],
  ['beyond 2^32 µs', durations(3, 2_000, 1e6, 4)],
];

describe('duration histograms in HdrHistogram layout', () => {
  it.each(CASES)('%s: encoded exactly as hdr-histogram-js encodes the same values, with its percentiles', (_name, values) => {
    const ours = DurationHistogram.create();
    const theirs = reference();
    for (const ms of values) {
      ours.record(ms);
      theirs.recordValue(Math.max(0, Math.round(ms * 1000)));
    }
    expect(ours.encode()).toBe(hdr.encodeIntoCompressedBase64(theirs));
    expect(ours.count).toBe(values.length);
    if (values.length === 0) return;
    expect(QUANTILES.map((q) => ours.quantileMs(q))).toEqual(QUANTILES.map((q) => theirs.getValueAtPercentile(q * 100) / 1000));
  });

  it.each(CASES.filter(([, values]) => values.length > 0))('%s: decodes to hdr-histogram-js\'s count, min, max, mean and percentiles', (_name, values) => {
    const source = DurationHistogram.create();
    for (const ms of values) source.record(ms);
    const decoded = DurationHistogram.decode(source.encode());
    const theirs = reference();
    theirs.add(hdr.decodeFromCompressedBase64(source.encode(), 32, false));
    expect(decoded.count).toBe(theirs.totalCount);
    expect(decoded.minMs).toBe(theirs.getValueAtPercentile(0) / 1000);
    expect(decoded.maxMs).toBe(theirs.maxValue / 1000);
    expect(decoded.meanMs).toBeCloseTo(theirs.mean / 1000, 9);
    expect(QUANTILES.map((q) => decoded.quantileMs(q))).toEqual(QUANTILES.map((q) => theirs.getValueAtPercentile(q * 100) / 1000));
    expect(decoded.encode()).toBe(source.encode());
  });

  it('adds exactly, and reads what hdr-histogram-js writes after adding', () => {
    const [first, second] = [durations(4, 20_000, 0.5, 4), durations(5, 5_000, 100, 3)];
    const whole = DurationHistogram.create();
    const parts = [DurationHistogram.create(), DurationHistogram.create()];
    first.forEach((ms) => (whole.record(ms), parts[0]?.record(ms)));
    second.forEach((ms) => (whole.record(ms), parts[1]?.record(ms)));
    const added = DurationHistogram.decode((parts[0] as DurationHistogram).encode());
    added.add(DurationHistogram.decode((parts[1] as DurationHistogram).encode()));
    expect(added.encode()).toBe(whole.encode());
    // hdr-histogram-js's sum of the two encodings names another highest trackable value; the counts are the same.
    const theirs = reference();
    for (const part of parts) theirs.add(hdr.decodeFromCompressedBase64((part as DurationHistogram).encode(), 32, false));
    expect(DurationHistogram.decode(hdr.encodeIntoCompressedBase64(theirs)).encode()).toBe(whole.encode());
  });

  it('indexes values as HdrHistogram does, each index back to its bucket\'s lowest value', () => {
    const rng = deriveRng(6, 'hdr-index');
    const values = [0, 1, 2047, 2048, 2049, 4095, 4096, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 3e12, 2 ** 50 + 12345,
      ...Array.from({ length: 5_000 }, () => Math.floor(2 ** (rng.next() * 50)))];
    const theirs = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 52, numberOfSignificantValueDigits: 3, bitBucketSize: 32, useWebAssembly: false }) as unknown as { countsArrayIndex(value: number): number };
    for (const value of values) {
      const index = countsIndex(value);
      expect({ value, index }).toEqual({ value, index: theirs.countsArrayIndex(value) });
      expect(valueAtIndex(index)).toBeLessThanOrEqual(value);
      expect(countsIndex(valueAtIndex(index))).toBe(index);
    }
  });

  it('refuses an encoding that is not a V2 HdrHistogram (DATABASE_CORRUPT)', () => {
    expect(() => DurationHistogram.decode(Buffer.from('not a histogram').toString('base64'))).toThrow(expect.objectContaining({ code: 'DATABASE_CORRUPT' }));
  });
});
