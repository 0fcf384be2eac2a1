// A hard kill during `run --workers` leaves its scratch folder beside the results file; the next run
// into that file removes it, and never another results file's.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const legalReview = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;

describe('the scratch folder of a killed workers run', () => {
  it('is removed by the next run into the same file, and only that one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-workers-scratch-'));
    const left = join(folder, '.patternbench-run-out.db-Ab12Cd');
    const other = join(folder, '.patternbench-run-out.db-x.db-Ab12Cd');
    for (const path of [left, other]) {
      mkdirSync(path);
      writeFileSync(join(path, 'cell-0.db'), 'left by a kill -9');
    }
    const io = captureIo();
    const args = ['run', legalReview, '--cases', '6', '--workers', '2', '--db', join(folder, 'out.db'), '--quiet', '--no-report', '--format', 'json'];
    expect(await main(args, io)).toBe(0);
    expect(existsSync(left)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(existsSync(join(folder, 'out.db'))).toBe(true);
  });
});
