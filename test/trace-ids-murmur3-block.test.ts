import { describe, expect, it } from 'vitest';
import { murmur3Block128 } from '../harness/kernel/trace-ids.ts';

describe('murmur3Block128', () => {
  it('is MurmurHash3 x86_128 of one 16-byte block: the reference vector of eight U+03C0 in UTF-8, seed 0x9747b28c', () => {
    // Bytes cf 80 × 8, read as four little-endian words; expected h1…h4 as in Dovecot's
    // src/lib/test-murmurhash3.c (its x86_128 vectors, the 16-byte one).
    const out = [0, 0, 0, 0];
    murmur3Block128(0x80cf80cf, 0x80cf80cf, 0x80cf80cf, 0x80cf80cf, 0x9747b28c, out);
    expect(out).toEqual([0xaf2ad325, 0x3a74df88, 0x38cc7534, 0xf197cc0d]);
  });

  it('gives distinct outputs for blocks one bit apart, each differing from the other in about half its 128 bits', () => {
    const base = [0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210];
    const reference = [0, 0, 0, 0];
    murmur3Block128(base[0]!, base[1]!, base[2]!, base[3]!, 0, reference);
    const out = [0, 0, 0, 0];
    let flipped = 0;
    for (let bit = 0; bit < 128; bit++) {
      const block = [...base];
      block[bit >>> 5] = (block[bit >>> 5]! ^ (1 << (bit & 31))) >>> 0;
      murmur3Block128(block[0]!, block[1]!, block[2]!, block[3]!, 0, out);
      let differing = 0;
      for (let word = 0; word < 4; word++) {
        let x = (out[word]! ^ reference[word]!) >>> 0;
        while (x !== 0) {
          differing += x & 1;
          x >>>= 1;
        }
      }
      expect(differing).toBeGreaterThan(0);
      flipped += differing;
    }
    // Avalanche: 128 × 128 output bits, each flipping with probability ~1/2; mean 64, standard
    // deviation of the mean over 16,384 bits 0.5 → 64 ± 4 is ±8σ.
    expect(Math.abs(flipped / 128 - 64)).toBeLessThan(4);
  });
});
