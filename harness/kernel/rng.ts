/**
 * Seeded random numbers: one seed per run, independent named streams derived from it.
 *
 * A stream is never split off another stream's state: it is derived from the run seed and a list
 * of keys (`deriveRng(seed, 'latency', workflowIndex, agentKey)`), so creating, dropping or
 * reordering one consumer never shifts the draws of another. Derivation is a few integer
 * multiplications — hash string keys once with {@link hashKey} and pass the numbers on the hot path.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean,
 * period ≥ 2^32 per seed thanks to its counter), seeded through the murmur3 finalizer so that
 * adjacent seeds give unrelated sequences. Everything here is deterministic across platforms:
 * only 32-bit integer arithmetic (`Math.imul`, shifts) and exact conversions to doubles.
 */
import type { Rng } from './distribution-types.ts';

/** 2^-32: turns a uint32 into a double in [0, 1). */
const TWO_POW_MINUS_32 = 1 / 4_294_967_296;
/** Golden-ratio increment (Weyl sequence) used to spread seed words apart. */
const GOLDEN = 0x9e3779b9;
/** Rounds discarded after seeding, so the first output already depends on every seed bit. */
const WARMUP_ROUNDS = 4;

/** The murmur3 32-bit finalizer: a bijection on uint32 with full avalanche. Returns a uint32. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * 32-bit hash of a string: FNV-1a over its UTF-16LE bytes (each code unit low byte then high
 * byte), followed by {@link fmix32}. JavaScript strings are UTF-16 everywhere, so the value is the
 * same on every platform. Returns a uint32. Meant to be called once per name, not per draw.
 */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    h = Math.imul(h ^ (unit & 0xff), 0x01000193);
    h = Math.imul(h ^ (unit >>> 8), 0x01000193);
  }
  return fmix32(h ^ key.length);
}

/**
 * Combines a seed with already-hashed keys into a new 32-bit seed (a uint32). Order-sensitive
 * (`mixSeed(s, a, b) !== mixSeed(s, b, a)` in general) and length-sensitive; the body is
 * murmur3's word loop, the finish its finalizer. Number keys are taken modulo 2^32 (integers
 * up to 2^32 − 1 are distinct); pass string keys through {@link hashKey} first.
 */
export function mixSeed(seed: number, ...keys: number[]): number {
  let h = seed >>> 0;
  for (let i = 0; i < keys.length; i++) {
    let k = Math.imul(keys[i] as number, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ keys.length);
}

/**
 * A fast, seeded 32-bit generator (sfc32). `next()` and `nextUint32()` allocate nothing; every
 * method consumes exactly one 32-bit draw, so the number of draws a consumer makes is fixed and
 * documented by its code, never by the values drawn.
 */
export class SeededRng implements Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /**
   * @param seed  32-bit seed (taken modulo 2^32).
   * @param seed2 optional second 32-bit seed word for 64 bits of seed; default 0.
   */
  constructor(seed: number, seed2 = 0) {
    this.reseed(seed, seed2);
  }

  /**
   * Restarts the generator as if freshly constructed with these seeds, without allocating.
   * Useful on hot paths that derive a stream per agent call.
   */
  reseed(seed: number, seed2 = 0): void {
    const s0 = seed >>> 0;
    const s1 = seed2 >>> 0;
    this.a = fmix32((s0 + GOLDEN) | 0) | 0;
    this.b = fmix32(((s1 + 2 * GOLDEN) | 0) ^ this.a) | 0;
    this.c = fmix32(((s0 + 3 * GOLDEN) | 0) ^ this.b) | 0;
    this.d = 1;
    for (let i = 0; i < WARMUP_ROUNDS; i++) this.nextUint32();
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Draws made since seeding (read from sfc32's counter; wraps at 2^32). */
  get draws(): number {
    return (this.d - 1 - WARMUP_ROUNDS) >>> 0;
  }

  /** Draws (and discards) until `draws` have been made since seeding: the stream's position then. */
  advanceTo(draws: number): void {
    while (this.draws < draws) this.nextUint32();
  }

  /** Uniform double in [0, 1) with 32 bits of resolution: `nextUint32() / 2^32`. */
  next(): number {
    return this.nextUint32() * TWO_POW_MINUS_32;
  }

  /**
   * Uniform integer in [0, maxExclusive), `floor(next() * maxExclusive)`: one draw, no
   * rejection loop; the bias is below maxExclusive / 2^32 (under 1e-6 for maxExclusive ≤ 4096).
   * @throws RangeError unless maxExclusive is an integer in [1, 2^32].
   */
  int(maxExclusive: number): number {
    if (!(maxExclusive >= 1 && maxExclusive <= 4_294_967_296) || !Number.isInteger(maxExclusive)) {
      throw new RangeError(`int(maxExclusive) needs an integer in [1, 2^32], got ${maxExclusive}`);
    }
    return Math.floor(this.next() * maxExclusive);
  }

  /** True with probability `p` (`next() < p`): p ≤ 0 is never, p ≥ 1 is always. One draw. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * One element of `items`, uniformly. One draw.
   * @throws RangeError when `items` is empty.
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs at least one item');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /**
   * Index `i` with probability `weights[i] / sum(weights)`. One draw, linear scan (fine for the
   * handful of routes or outcomes it serves). Zero weights are never chosen.
   * @throws RangeError when a weight is negative or not finite, or all weights are zero.
   */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0 && w < Infinity)) throw new RangeError(`weighted(): weight ${i} is ${w}, expected a finite number ≥ 0`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('weighted() needs at least one positive weight');
    const target = this.next() * total;
    let acc = 0;
    let last = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w === 0) continue;
      acc += w;
      if (target < acc) return i;
      last = i;
    }
    return last; // rounding left target ≥ acc: the last positive weight takes it
  }
}

/**
 * A stream derived from the run seed and keys: `new SeededRng(mixSeed(seed, ...hashed keys))`.
 * String keys are hashed with {@link hashKey}, numbers are used as they are (modulo 2^32).
 * On a hot path prefer precomputed `hashKey` values and `mixSeed`, or `SeededRng.reseed`.
 */
export function deriveRng(seed: number, ...keys: (string | number)[]): SeededRng {
  const hashed = keys.map((k) => (typeof k === 'string' ? hashKey(k) : k));
  return new SeededRng(mixSeed(seed, ...hashed));
}

/** The named streams of a run; each consumer draws from its own. */
export const STREAM_NAMES = ['arrivals', 'latency', 'tokens', 'faults', 'accuracy', 'cases', 'ids'] as const;

/** One of {@link STREAM_NAMES}. */
export type StreamName = (typeof STREAM_NAMES)[number];

/** Something holding named streams, created on first use (a workflow's streams of one agent). */
export interface NamedStreams {
  named(name: string): SeededRng;
}

/**
 * `HEX_DIGIT[n]` is the char code of the lowercase hex digit of nibble `n`. Never written after
 * this line; deliberately not `Object.freeze`d, as V8 indexes frozen arrays several times slower.
 */
const HEX_DIGIT: readonly number[] = Array.from({ length: 16 }, (_, n) => n.toString(16).charCodeAt(0));

/** Char code of nibble `shift` (28, 24, …, 0) of `w`. */
function nib(w: number, shift: number): number {
  return HEX_DIGIT[(w >>> shift) & 15] as number;
}

/** 16 hex characters for two words, built in one `String.fromCharCode` (a flat string, no concatenation). */
function hex64(w0: number, w1: number): string {
  return String.fromCharCode(
    nib(w0, 28), nib(w0, 24), nib(w0, 20), nib(w0, 16), nib(w0, 12), nib(w0, 8), nib(w0, 4), nib(w0, 0),
    nib(w1, 28), nib(w1, 24), nib(w1, 20), nib(w1, 16), nib(w1, 12), nib(w1, 8), nib(w1, 4), nib(w1, 0),
  );
}

/** 32 hex characters for four words. */
function hex128(w0: number, w1: number, w2: number, w3: number): string {
  return String.fromCharCode(
    nib(w0, 28), nib(w0, 24), nib(w0, 20), nib(w0, 16), nib(w0, 12), nib(w0, 8), nib(w0, 4), nib(w0, 0),
    nib(w1, 28), nib(w1, 24), nib(w1, 20), nib(w1, 16), nib(w1, 12), nib(w1, 8), nib(w1, 4), nib(w1, 0),
    nib(w2, 28), nib(w2, 24), nib(w2, 20), nib(w2, 16), nib(w2, 12), nib(w2, 8), nib(w2, 4), nib(w2, 0),
    nib(w3, 28), nib(w3, 24), nib(w3, 20), nib(w3, 16), nib(w3, 12), nib(w3, 8), nib(w3, 4), nib(w3, 0),
  );
}

/**
 * A random lowercase hex id of `bytes` bytes (16 or 32 characters): 8 for span ids, 16 for trace
 * ids. Consumes `bytes / 4` draws, redrawing in the (2^-64 or rarer) case where they are all
 * zero, since OpenTelemetry treats an all-zero id as invalid.
 */
export function randomHexId(rng: Pick<SeededRng, 'nextUint32'>, bytes: 8 | 16): string {
  for (;;) {
    const w0 = rng.nextUint32();
    const w1 = rng.nextUint32();
    if (bytes === 8) {
      if ((w0 | w1) !== 0) return hex64(w0, w1);
      continue;
    }
    const w2 = rng.nextUint32();
    const w3 = rng.nextUint32();
    if ((w0 | w1 | w2 | w3) !== 0) return hex128(w0, w1, w2, w3);
  }
}
