/**
 * Mergeable latency histograms (HdrHistogram, `hdr-histogram-js`). Values are recorded in integer
 * microseconds with 3 significant digits, so any percentile read back is within 0.1 % of the exact
 * nearest-rank value; two histograms of the same metric add exactly (shards, runs). Stored in the
 * `histograms` table as the standard compressed base64 encoding, readable by any HdrHistogram
 * library (Java, Go, Python, Rust).
 */
import * as hdr from 'hdr-histogram-js';

/** Significant decimal digits kept: values are exact to within 0.1 %. */
export const HDR_SIGNIFICANT_DIGITS = 3;

/** Microseconds per millisecond: histograms hold integer µs, the API speaks ms. */
const US_PER_MS = 1000;

function emptyHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS,
    autoResize: true,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
}

/** A histogram of durations in milliseconds. */
export class DurationHistogram {
  /** Exact count, sum, min and max of the values recorded (the HDR iteration for them is slow). */
  #count = 0;
  #sumMs = 0;
  #minMs = Infinity;
  #maxMs = -Infinity;

  private constructor(private readonly histogram: hdr.Histogram) {}

  static create(): DurationHistogram {
    return new DurationHistogram(emptyHistogram());
  }

  /** Reads the `histograms.encoded` form. */
  static decode(encoded: string): DurationHistogram {
    const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
    const histogram = emptyHistogram();
    histogram.add(decoded);
    const result = new DurationHistogram(histogram);
    if (histogram.totalCount > 0) {
      result.#count = histogram.totalCount;
      result.#sumMs = (histogram.mean * histogram.totalCount) / US_PER_MS;
      result.#minMs = histogram.getValueAtPercentile(0) / US_PER_MS;
      result.#maxMs = histogram.maxValue / US_PER_MS;
    }
    return result;
  }

  /** Records one duration (ms, ≥ 0; negative values count as 0). */
  record(ms: number): void {
    const value = Math.max(0, Math.round(ms * US_PER_MS));
    this.histogram.recordValue(value);
    const rounded = value / US_PER_MS;
    this.#count += 1;
    this.#sumMs += rounded;
    if (rounded < this.#minMs) this.#minMs = rounded;
    if (rounded > this.#maxMs) this.#maxMs = rounded;
  }

  /** Adds every value of `other` (exact). */
  add(other: DurationHistogram): void {
    this.histogram.add(other.histogram);
    this.#count += other.#count;
    this.#sumMs += other.#sumMs;
    this.#minMs = Math.min(this.#minMs, other.#minMs);
    this.#maxMs = Math.max(this.#maxMs, other.#maxMs);
  }

  get count(): number {
    return this.#count;
  }

  /** The value at quantile `q` in [0, 1], ms; null when empty. */
  quantileMs(q: number): number | null {
    if (this.#count === 0) return null;
    return this.histogram.getValueAtPercentile(q * 100) / US_PER_MS;
  }

  /** Smallest value recorded (to the µs; bucket precision after `decode`). */
  get minMs(): number | null {
    return this.#count === 0 ? null : this.#minMs;
  }

  /** Largest value recorded (to the µs; bucket precision after `decode`). */
  get maxMs(): number | null {
    return this.#count === 0 ? null : this.#maxMs;
  }

  get meanMs(): number | null {
    return this.#count === 0 ? null : this.#sumMs / this.#count;
  }

  /** The compressed base64 encoding (HdrHistogram V2 format). */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }
}
