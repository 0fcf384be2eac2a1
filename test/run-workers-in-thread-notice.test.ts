// `--workers` asked for more than one where the command cannot use them runs in this thread as
// without the flag, and says so in one line: a single run to make, or a run that must stay in one
// thread (here --record, which records into one file).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const legalReview = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;

describe('run --workers where workers cannot help', () => {
  it('runs in this thread and says why', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-workers-notice-'));
    const single = captureIo();
    expect(await main(['run', legalReview, '--pattern', 'sequential', '--cases', '5', '--workers', '2', '--db', join(folder, 'a.db'), '--quiet', '--no-report', '--format', 'json'], single)).toBe(0);
    expect(single.stderr.filter((line) => line.startsWith('--workers'))).toEqual(['--workers 2: running in this thread, as the command has a single run to make']);
    const recording = captureIo();
    expect(await main(['run', legalReview, '--cases', '5', '--workers', '3', '--record', '--db', join(folder, 'b.db'), '--quiet', '--no-report', '--format', 'json'], recording)).toBe(0);
    expect(recording.stderr.filter((line) => line.startsWith('--workers'))).toEqual(['--workers 3: running in this thread, as --record records in one file']);
    const quiet = captureIo();
    expect(await main(['run', legalReview, '--pattern', 'sequential', '--cases', '5', '--db', join(folder, 'c.db'), '--quiet', '--no-report', '--format', 'json'], quiet)).toBe(0);
    expect(quiet.stderr.filter((line) => line.startsWith('--workers'))).toEqual([]);
  });
});
