// `merge` attaches one input at a time (SQLite attaches at most 10 files at once), so the files of
// a job of more pods than that merge like any others: 12 one-cell shards of `run --shard i/12`
// join into exactly the rows of the matrix run whole.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { resultsDigest } from './support/results-digest.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const SHARDS = 12;

describe('merging more files than SQLite attaches at once', () => {
  it('gives the rows of the unsharded matrix', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-many-'));
    const matrix = ['run', scenario, '--cases', '3', '--seed', '1,2,3,4,5,6', '--quiet', '--no-report'];
    const whole = join(folder, 'whole.db');
    expect(await main([...matrix, '--db', whole], captureIo())).toBe(0);
    const shards = Array.from({ length: SHARDS }, (_, index) => join(folder, `shard-${index}.db`));
    for (const [index, path] of shards.entries()) expect(await main([...matrix, '--shard', `${index + 1}/${SHARDS}`, '--db', path], captureIo())).toBe(0);
    const merged = join(folder, 'merged.db');
    const io = captureIo();
    expect(await main(['merge', merged, ...shards, '--shards', String(SHARDS)], io), io.stderr.join('\n')).toBe(0);
    expect(io.stderr.join('\n')).toContain(`merged ${SHARDS} file(s) into ${merged}: ${SHARDS} run(s)`);
    const digest = resultsDigest(merged);
    expect(digest['runs']).toMatch(/^12:/);
    expect(digest).toEqual(resultsDigest(whole));
  });
});
