import { randomBytes } from 'node:crypto';

/** Environment variable holding a masking key that stays the same across invocations (any string). */
export const MASK_KEY_ENV = 'PATTERNBENCH_MASK_KEY';

/**
 * The key of masking tokens: `PATTERNBENCH_MASK_KEY` when set (the same value then gets the same
 * token in every run and file, so masked rows still join), else 32 random bytes that live only in
 * this process. Either way it is never written anywhere.
 */
export function maskKey(env: Readonly<Record<string, string | undefined>> = process.env): Buffer {
  const given = env[MASK_KEY_ENV];
  return given !== undefined && given !== '' ? Buffer.from(given, 'utf8') : randomBytes(32);
}
