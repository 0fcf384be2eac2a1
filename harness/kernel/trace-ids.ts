/**
 * Trace and span ids: unique across the runs, seeds, variants, shards and files of a sweep, and
 * reproducible (the same run id and seed give the same ids).
 *
 * A run's ids are keyed by 128 bits of SHA-256 over its run id and seed ({@link runIdsKey}). The
 * ids of workflow `w` come from its own stream, so they depend on nothing but (key, w): block `i`
 * of the stream is MurmurHash3 x86_128 (seed 0) of the one 16-byte block `key ⊕ (w, i)`
 * ({@link murmur3Block128}), and the stream hands out those blocks' words in order. The trace id is
 * `randomHexId(stream, 16)` (block 0), each span id `randomHexId(stream, 8)` (half a block).
 *
 * Why these ids cannot collide in practice:
 * - Within a run: murmur3 of one 16-byte block is a bijection on 128 bits, and distinct workflows
 *   give distinct blocks, so distinct workflows have distinct trace ids — by construction.
 * - Across runs: two blocks `k ⊕ (w, 0)` and `k' ⊕ (w', 0)` are equal only when the keys agree on
 *   their upper 75 bits (w < 2^53), so over R runs of at most W workflows the chance of any shared
 *   trace id is below R² · 2W / 2^128 (10^6 runs of 10^9 workflows: under 10^-17).
 * - Span ids only need be unique within their trace (the store's key is trace id + span id): 64
 *   bits each, distinct blocks per trace, so n spans share one with probability about n² / 2^65.
 *
 * (Before issue 15 each workflow's ids came from a 32-bit seed, `mixSeed(mixSeed(seed,
 * hashKey('ids'), hashKey(runId)), w)`: a trace id of 32 bits of entropy, so runs of ~200,000
 * workflows in one file met the store's unique index.)
 */
import { createHash } from 'node:crypto';
import { fmix32 } from './rng.ts';

/** The 128-bit key of a run's ids, as four uint32 words. */
export type RunIdsKey = readonly [number, number, number, number];

/** 2^32, to split a workflow id into two words. */
const TWO_POW_32 = 4_294_967_296;
/** MurmurHash3 x86_128's multipliers. */
const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/**
 * The key of a run's ids: the first 16 bytes of SHA-256 over `["patternbench.ids", runId, seed]`
 * as JSON (unambiguous whatever the run id holds), read as four big-endian words. Computed once a run.
 */
export function runIdsKey(runId: string, seed: number): RunIdsKey {
  const digest = createHash('sha256').update(JSON.stringify(['patternbench.ids', runId, seed])).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4), digest.readUInt32BE(8), digest.readUInt32BE(12)];
}

/**
 * MurmurHash3 x86_128 of one 16-byte block — the words `k1`…`k4`, each read little-endian from
 * the bytes — with `seed`; writes h1…h4 (uint32) into `out`. For a fixed seed it is a bijection on
 * 128 bits: each body step is invertible in its own block word, and so is the finalizer.
 */
export function murmur3Block128(k1: number, k2: number, k3: number, k4: number, seed: number, out: number[]): void {
  let h1 = seed | 0;
  let h2 = seed | 0;
  let h3 = seed | 0;
  let h4 = seed | 0;

  k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  h1 ^= k1;
  h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
  k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
  h2 ^= k2;
  h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
  k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
  h3 ^= k3;
  h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
  k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
  h4 ^= k4;
  h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;

  // Finalization, length 16.
  h1 ^= 16;
  h2 ^= 16;
  h3 ^= 16;
  h4 ^= 16;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
  out[2] = h3 >>> 0;
  out[3] = h4 >>> 0;
}

/**
 * The id stream of one workflow's trace: the words of blocks `murmur3(key ⊕ (w, i))`, i = 0, 1, …
 * (see the file comment). Counter-based, so `skipTo` is O(1); `draws` counts words handed out.
 */
export class TraceIdStream {
  readonly #k1: number;
  readonly #k2: number;
  readonly #k3: number;
  readonly #k4: number;
  /** Words of the current block, and which block they are (−1: none yet). */
  readonly #words = [0, 0, 0, 0];
  #block = -1;
  #position = 0;

  /**
   * @param key        the run's {@link runIdsKey}.
   * @param workflowId a safe integer; its low and high 32-bit words go into the block's first two.
   */
  constructor(key: RunIdsKey, workflowId: number) {
    // Kept as signed 32-bit words (what `Math.imul` reads either way): small integers need no heap
    // number, and a stream lives as long as its workflow (~50 B less per workflow in flight).
    this.#k1 = key[0] ^ workflowId; // `^` takes the low 32 bits of the id
    this.#k2 = key[1] ^ Math.floor(workflowId / TWO_POW_32);
    this.#k3 = key[2] | 0;
    this.#k4 = key[3] | 0;
  }

  /** The next 32-bit word. */
  nextUint32(): number {
    const position = this.#position++;
    const block = Math.floor(position / 4);
    if (block !== this.#block) {
      murmur3Block128(this.#k1, this.#k2, this.#k3 ^ block, this.#k4, 0, this.#words);
      this.#block = block;
    }
    return this.#words[position & 3] as number;
  }

  /** Words handed out so far. */
  get draws(): number {
    return this.#position;
  }

  /**
   * Moves on to word `target`; a no-op when the stream is there already. Lets a resumed workflow
   * continue its trace's ids where its checkpointed calls left them (`harness/run/recovery/checkpoint.ts`).
   */
  skipTo(target: number): void {
    if (target > this.#position) this.#position = target;
  }
}
