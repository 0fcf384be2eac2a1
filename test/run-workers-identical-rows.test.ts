// `run --workers`: the cells of the matrix run on worker threads, each into its own file, joined in
// matrix order — so the results file holds the same rows, table by table and in the same order
// (span strings and their ids included), with one worker (the runs one after another into the file,
// as without workers), two or three. Only `runs.started_at` and `runs.finished_at` (wall clock) may differ.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { tableDigests } from './support/table-digests.ts';

const scenarios = ['legal-review', 'triage-router'].map((name) => new URL(`../scenarios/${name}.yaml`, import.meta.url).pathname);

describe('run across worker threads', () => {
  it('writes the same rows with one, two and three workers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-workers-'));
    const run = async (workers: number): Promise<Record<string, string>> => {
      const db = join(folder, `workers-${workers}.db`);
      const io = captureIo();
      const code = await main(['run', ...scenarios, '--cases', '40', '--db', db, '--workers', String(workers), '--quiet', '--no-report', '--format', 'json'], io);
      expect(code, io.stderr.join('\n')).toBe(0);
      return tableDigests(db);
    };
    const one = await run(1);
    expect(await run(2)).toEqual(one);
    expect(await run(3)).toEqual(one);
    // Two scenarios × two patterns, 40 workflows each.
    expect(one['runs']?.startsWith('4:')).toBe(true);
    expect(one['workflows']?.startsWith(`${4 * 40}:`)).toBe(true);
  });
});
