/**
 * Mergeable latency histograms in HdrHistogram's layout: values are recorded in integer
 * microseconds with 3 significant digits, so any percentile read back is within 0.1 % of the exact
 * nearest-rank value; two histograms of the same metric add exactly (shards, runs). Stored in the
 * `histograms` and `span_metrics` tables as HdrHistogram's standard compressed V2 encoding (base64),
 * byte for byte what `hdr-histogram-js` writes for the same values, readable by any HdrHistogram
 * library (Java, Go, Python, Rust).
 *
 * The counts live in plain arrays indexed as HdrHistogram indexes its own (`countsIndex`), one per
 * bucket (power of two) that holds values: recording is an array increment (~17 ns, where
 * `hdr-histogram-js`'s `recordValue` takes ~100 ns: a run records one value per span), and decoding
 * fills the arrays straight from the encoding (~0.1 ms, where `hdr-histogram-js` took 6–25 ms). Percentiles follow `getValueAtPercentile`: the
 * highest value equivalent to the nearest-rank bucket.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { HarnessError } from './errors.ts';

/** Significant decimal digits kept: values are exact to within 0.1 %. */
export const HDR_SIGNIFICANT_DIGITS = 3;

/** Microseconds per millisecond: histograms hold integer µs, the API speaks ms. */
const US_PER_MS = 1000;

/**
 * log2 of the sub-buckets in each bucket's upper half: HdrHistogram keeps unit resolution up to
 * 2 × 10^3 with 3 significant digits, i.e. 2^11 sub-buckets, half of them new in each bucket above the first.
 */
const SUB_BUCKET_HALF_MAGNITUDE = 10;
/** Sub-buckets of the first bucket (values below it are counted one by one). */
const SUB_BUCKET_COUNT = 2 ** (SUB_BUCKET_HALF_MAGNITUDE + 1);
const TWO_TO_32 = 2 ** 32;

/**
 * Where HdrHistogram (lowest discernible value 1, 3 significant digits) counts the integer
 * `value` ≥ 0: the same index as its `countsArrayIndex`.
 */
export function countsIndex(value: number): number {
  if (value < SUB_BUCKET_COUNT) return value;
  if (value < TWO_TO_32) {
    const bucket = 31 - Math.clz32(value) - SUB_BUCKET_HALF_MAGNITUDE;
    return (bucket << SUB_BUCKET_HALF_MAGNITUDE) + (value >>> bucket);
  }
  const bucket = 63 - Math.clz32(Math.floor(value / TWO_TO_32)) - SUB_BUCKET_HALF_MAGNITUDE;
  return (bucket << SUB_BUCKET_HALF_MAGNITUDE) + Math.floor(value / 2 ** bucket);
}

/** The bucket of counts index `index`: its values are counted in steps of 2^bucket. */
function bucketOf(index: number): number {
  return Math.max(0, (index >> SUB_BUCKET_HALF_MAGNITUDE) - 1);
}

/** The lowest value HdrHistogram counts at `index` (the inverse of `countsIndex` on a bucket's first value). */
export function valueAtIndex(index: number): number {
  const bucket = bucketOf(index);
  return bucket === 0 ? index : (index - (bucket << SUB_BUCKET_HALF_MAGNITUDE)) * 2 ** bucket;
}

/** The highest value HdrHistogram counts at `index`. */
function highestAtIndex(index: number): number {
  return valueAtIndex(index) + 2 ** bucketOf(index) - 1;
}

/** The middle of `index`'s values, as HdrHistogram's `medianEquivalentValue` (its mean is taken over these). */
function medianAtIndex(index: number): number {
  const bucket = bucketOf(index);
  return valueAtIndex(index) + (bucket === 0 ? 0 : 2 ** (bucket - 1));
}

/** `hdr-histogram-js`'s unit in the last place, used when it rounds a percentile's rank. */
const ulp = (x: number): number => 2 ** (Math.floor(Math.log2(x)) - 52);

/** V2 encoding cookies (the low nibble's 0x10: words are ZigZag LEB128-64b9B). */
const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
/** Bytes of the V2 header: cookie, payload length, normalising offset, digits (int32 each), lowest, highest, conversion ratio (int64 each). */
const V2_HEADER_BYTES = 40;

/**
 * The highest trackable value an auto-resizing `hdr-histogram-js` histogram (created with 2) has
 * once it has recorded values up to counts index `top`: it grows to whole buckets.
 */
function highestTrackableValue(top: number): number {
  if (top < SUB_BUCKET_COUNT) return 2;
  return 2 ** (bucketOf(top) + SUB_BUCKET_HALF_MAGNITUDE + 1) - 1;
}

/** Appends `n` as HdrHistogram's ZigZag LEB128-64b9B word (at most 9 bytes; the 9th carries 8 bits). */
function putWord(bytes: number[], n: number): void {
  const value = n >= 0 ? n * 2 : -n * 2 - 1;
  for (let group = 0; group < 8; group++) {
    const rest = Math.floor(value / 2 ** (7 * group));
    if (value < 2 ** (7 * (group + 1))) {
      bytes.push(rest);
      return;
    }
    bytes.push((rest % 128) | 0x80);
  }
  bytes.push(Math.floor(value / 2 ** 56) % 256);
}

function damaged(why: string): HarnessError {
  return new HarnessError('DATABASE_CORRUPT', `an HDR histogram in the results file cannot be read: ${why}`);
}

/** Counts-index positions of a bucket's chunk: bucket 0 holds indices 0–2047, bucket b ≥ 1 the 1,024 from (b + 1) · 1024. */
const chunkStart = (bucket: number): number => (bucket === 0 ? 0 : (bucket + 1) << SUB_BUCKET_HALF_MAGNITUDE);
const chunkLength = (bucket: number): number => (bucket === 0 ? SUB_BUCKET_COUNT : 1 << SUB_BUCKET_HALF_MAGNITUDE);

/** Counts indexes `DurationHistogram.record` holds before adding them to the chunks. */
const HELD = 64;

/** A histogram of durations in milliseconds. */
export class DurationHistogram {
  /** Exact count, sum, min and max of the values recorded (in µs-rounded ms). */
  #count = 0;
  #sumMs = 0;
  #minMs = Infinity;
  #maxMs = -Infinity;
  /**
   * Counts by HdrHistogram counts index (`countsIndex`), a chunk per bucket, allocated when the
   * bucket gets its first value: a run's histogram holds the few buckets its values fall in, and
   * nothing is copied as larger values come.
   */
  readonly #chunks: (Float64Array | undefined)[] = [];
  /** Highest counts index with a count; −1 when empty. */
  #top = -1;
  /**
   * Counts indexes recorded but not yet added to `#chunks` (the first `#held`): `record` adds
   * them in batches of `HELD`. A count lands at a random place in some ~100 KiB of chunks, which
   * a run's allocations keep pushing out of the CPU caches: added one at a time, each is a cache
   * miss (~0.2 µs a count measured in a simulated run, against ~0.03 µs in a loop that only
   * records); in a batch the misses overlap (the hdr.ts share of a `--traces tail` open load's
   * profile halved). Everything that reads the chunks adds the held indexes first (`#flush`).
   */
  #heldIndexes: Int32Array | null = null;
  #held = 0;

  private constructor() {}

  static create(): DurationHistogram {
    return new DurationHistogram();
  }

  /**
   * Reads the `histograms.encoded` form (any V2 compressed HdrHistogram of integer µs). count is
   * exact; min, max and mean come from the buckets (min the lowest value of the first, max the
   * highest of the last, mean over their midpoints), as HdrHistogram reads them.
   */
  static decode(encoded: string): DurationHistogram {
    const outer = Buffer.from(encoded.trim(), 'base64');
    if (outer.length < 8 || (outer.readInt32BE(0) & ~0xf0) !== (V2_COMPRESSED_COOKIE & ~0xf0)) throw damaged('not a compressed V2 HdrHistogram');
    let inner: Buffer;
    try {
      inner = inflateSync(outer.subarray(8, 8 + outer.readInt32BE(4)));
    } catch (error: unknown) {
      throw damaged(error instanceof Error ? error.message : String(error));
    }
    if (inner.length < V2_HEADER_BYTES || (inner.readInt32BE(0) & ~0xf0) !== (V2_COOKIE & ~0xf0)) throw damaged('not a V2 HdrHistogram');
    if (inner.readInt32BE(12) !== HDR_SIGNIFICANT_DIGITS || inner.readInt32BE(20) !== 1 || inner.readInt32BE(16) !== 0) {
      throw damaged(`it is not a histogram of ${HDR_SIGNIFICANT_DIGITS} significant digits with unit 1`);
    }
    const end = Math.min(inner.length, V2_HEADER_BYTES + inner.readInt32BE(4));
    const histogram = new DurationHistogram();
    let sum = 0;
    let index = 0;
    for (let at = V2_HEADER_BYTES; at < end; ) {
      let value = 0;
      let group = 0;
      let byte: number;
      do {
        byte = inner[at++] as number;
        value += (group === 8 ? byte : byte & 0x7f) * 2 ** (7 * group);
        group++;
      } while ((byte & 0x80) !== 0 && group < 9 && at < end);
      const word = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
      if (word < 0) {
        index -= word;
        continue;
      }
      if (word > 0) {
        histogram.#addAt(index, word);
        histogram.#count += word;
        sum += medianAtIndex(index) * word;
        if (histogram.#minMs === Infinity) histogram.#minMs = valueAtIndex(index) / US_PER_MS;
      }
      index++;
    }
    if (histogram.#top >= 0) {
      histogram.#sumMs = sum / US_PER_MS;
      histogram.#maxMs = highestAtIndex(histogram.#top) / US_PER_MS;
    }
    return histogram;
  }

  /** Records one duration (ms, ≥ 0; negative values count as 0). */
  record(ms: number): void {
    const value = ms > 0 ? Math.round(ms * US_PER_MS) : 0;
    const index = value < SUB_BUCKET_COUNT ? value : countsIndex(value);
    const held = (this.#heldIndexes ??= new Int32Array(HELD));
    held[this.#held++] = index;
    if (this.#held === HELD) this.#flush();
    const rounded = value / US_PER_MS;
    this.#count += 1;
    this.#sumMs += rounded;
    if (rounded < this.#minMs) this.#minMs = rounded;
    if (rounded > this.#maxMs) this.#maxMs = rounded;
  }

  /** Adds the held counts indexes (`record`) to the chunks, one count each. */
  #flush(): void {
    const held = this.#heldIndexes;
    const length = this.#held;
    this.#held = 0;
    if (held === null) return;
    for (let i = 0; i < length; i++) this.#addAt(held[i] as number, 1);
  }

  /** Adds `count` at counts index `index` (not to `#count`: callers keep it). */
  #addAt(index: number, count: number): void {
    const bucket = bucketOf(index);
    let chunk = this.#chunks[bucket];
    if (chunk === undefined) {
      while (this.#chunks.length < bucket) this.#chunks.push(undefined);
      chunk = this.#chunks[bucket] = new Float64Array(chunkLength(bucket));
    }
    const at = index - chunkStart(bucket);
    chunk[at] = (chunk[at] as number) + count;
    if (index > this.#top) this.#top = index;
  }

  /** The counts from index 0 to the highest with a count, in one array. */
  #dense(): Float64Array {
    this.#flush();
    const counts = new Float64Array(this.#top + 1);
    this.#chunks.forEach((chunk, bucket) => {
      if (chunk !== undefined) counts.set(chunk.subarray(0, Math.max(0, Math.min(chunk.length, this.#top + 1 - chunkStart(bucket)))), chunkStart(bucket));
    });
    return counts;
  }

  /** Adds every value of `other` (exact). */
  add(other: DurationHistogram): void {
    other.#flush();
    other.#chunks.forEach((chunk, bucket) => {
      if (chunk === undefined) return;
      const start = chunkStart(bucket);
      chunk.forEach((count, at) => {
        if (count > 0) this.#addAt(start + at, count);
      });
    });
    this.#count += other.#count;
    this.#sumMs += other.#sumMs;
    this.#minMs = Math.min(this.#minMs, other.#minMs);
    this.#maxMs = Math.max(this.#maxMs, other.#maxMs);
  }

  get count(): number {
    return this.#count;
  }

  /**
   * The value at quantile `q` in [0, 1], ms; null when empty. As HdrHistogram's
   * `getValueAtPercentile`: the highest value of the bucket holding the nearest-rank value
   * (⌈q·n⌉-th smallest), so at most 0.1 % above it; the lowest value of the first bucket for q = 0.
   */
  quantileMs(q: number): number | null {
    if (this.#count === 0) return null;
    this.#flush();
    const percentile = q * 100;
    const wanted = (Math.min(percentile, 100) / 100) * this.#count;
    const rank = Math.max(Math.ceil(wanted - ulp(wanted)), 1);
    let seen = 0;
    for (let bucket = 0; bucket < this.#chunks.length; bucket++) {
      const chunk = this.#chunks[bucket];
      if (chunk === undefined) continue;
      for (let at = 0; at < chunk.length; at++) {
        seen += chunk[at] as number;
        if (seen >= rank) {
          const index = chunkStart(bucket) + at;
          return (percentile === 0 ? valueAtIndex(index) : highestAtIndex(index)) / US_PER_MS;
        }
      }
    }
    return highestAtIndex(this.#top) / US_PER_MS;
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

  /** Sum of the values recorded, ms (each to the µs; from the buckets' midpoints after `decode`). */
  get sumMs(): number {
    return this.#sumMs;
  }

  /** The compressed base64 encoding (HdrHistogram V2 format), as `hdr-histogram-js` writes it. */
  encode(): string {
    const payload: number[] = [];
    this.#flush();
    const counts = this.#top < 0 ? new Float64Array(1) : this.#dense();
    for (let index = 0; index < counts.length; ) {
      const count = counts[index++] as number;
      if (count !== 0) {
        putWord(payload, count);
        continue;
      }
      let zeros = 1;
      while (index < counts.length && counts[index] === 0) {
        zeros++;
        index++;
      }
      putWord(payload, zeros > 1 ? -zeros : 0);
    }
    const inner = Buffer.alloc(V2_HEADER_BYTES + payload.length);
    inner.writeInt32BE(V2_COOKIE, 0);
    inner.writeInt32BE(payload.length, 4);
    inner.writeInt32BE(1, 8); // what hdr-histogram-js writes in the normalising-offset slot
    inner.writeInt32BE(HDR_SIGNIFICANT_DIGITS, 12);
    const putInt64 = (value: number, at: number): void => {
      inner.writeInt32BE(Math.floor(value / TWO_TO_32) | 0, at);
      inner.writeInt32BE(value % TWO_TO_32 | 0, at + 4);
    };
    putInt64(1, 16); // lowest discernible value
    putInt64(highestTrackableValue(this.#top), 24);
    putInt64(1, 32); // integer-to-double conversion ratio, as hdr-histogram-js writes it
    Buffer.from(payload).copy(inner, V2_HEADER_BYTES);
    const compressed = deflateSync(inner);
    const outer = Buffer.alloc(8 + compressed.length);
    outer.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
    outer.writeInt32BE(compressed.length, 4);
    compressed.copy(outer, 8);
    return outer.toString('base64');
  }
}
