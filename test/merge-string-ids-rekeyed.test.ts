// Spans are stored dictionary-encoded with each file's own string ids; `merge` copies the first
// input's as they are and re-keys the others' in SQL — through a character map while ids stay
// below 55,296, through a lookup table beyond. Either way the merged spans read back (through the
// `spans` view) exactly as in the inputs.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { SPAN_STRING_COLUMNS } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { resultsDigest } from './support/results-digest.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-rekey-'));
const [first, second] = [join(folder, 'seed-1.db'), join(folder, 'seed-2.db')];

/** A copy of `path` with every string id moved up by `offset` (in `strings` and in every span column that holds one). */
function shiftedIds(path: string, name: string, offset: number): string {
  const copy = join(folder, name);
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.exec(`UPDATE strings SET id = id + ${offset}; UPDATE span_rows SET ${SPAN_STRING_COLUMNS.map(([column]) => `${column} = ${column} + ${offset}`).join(', ')};`);
  db.close();
  return copy;
}

async function merged(name: string, ...inputs: string[]): Promise<Record<string, string>> {
  const out = join(folder, `${name}.db`);
  const io = captureIo();
  expect(await main(['merge', out, ...inputs], io), io.stderr.join('\n')).toBe(0);
  return resultsDigest(out);
}

describe('merging spans of files with different string ids', () => {
  beforeAll(async () => {
    for (const [path, seed] of [[first, '1'], [second, '2']] as const) {
      expect(await main(['run', scenario, '--cases', '20', '--pattern', 'sequential', '--seed', seed, '--db', path, '--quiet', '--no-report'], captureIo())).toBe(0);
    }
  });

  it('gives the same decoded spans whichever way the ids are re-keyed', async () => {
    const plain = await merged('plain', first, second);
    expect(plain['spans']).toMatch(/^[1-9]\d*:/);
    // Ids past the character map's range take the lookup table; small shifts take the map.
    expect(await merged('shifted-small', first, shiftedIds(second, 'small.db', 1000))).toEqual(plain);
    expect(await merged('shifted-large', first, shiftedIds(second, 'large.db', 70_000))).toEqual(plain);
    expect(await merged('first-shifted', shiftedIds(first, 'first-large.db', 70_000), second)).toEqual(plain);
  });

  it("keeps the first input's string ids and appends the others' new strings", async () => {
    await merged('ids', first, second);
    const strings = (path: string): [number, string][] => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare('SELECT id, value FROM strings ORDER BY id').raw().all() as [number, string][];
      } finally {
        db.close();
      }
    };
    const [a, b, out] = [strings(first), strings(second), strings(join(folder, 'ids.db'))];
    expect(out.slice(0, a.length)).toEqual(a);
    const added = out.slice(a.length).map(([, value]) => value);
    expect(added).toEqual(b.map(([, value]) => value).filter((value) => !a.some(([, known]) => known === value)));
    expect(added).toContain('legal-review/sequential/base/seed-2');
  });
});
