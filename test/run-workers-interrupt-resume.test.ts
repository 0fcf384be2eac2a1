// Ctrl-C reaches the workers: stopped once the first run has ended, `run --workers 2` ends the run
// a worker is in `interrupted` (it stops starting workflows), starts no other, writes what ended,
// prints the resume hint and exits 130; `--resume` then completes the file to the rows of a run
// never interrupted (the runs never started are run from the start).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { runCommand, type RunCommandOptions } from '../harness/cli/run.ts';
import { INDEX_NAMES, openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { indexNames } from './support/db-dump.ts';
import { resultsDigest } from './support/results-digest.ts';

const scenarios = ['legal-review', 'triage-router'].map((name) => new URL(`../scenarios/${name}.yaml`, import.meta.url).pathname);

const options = (db: string | null, workers: number, resume: string | null): RunCommandOptions => ({
  patterns: null, variants: null, seeds: null, cases: 40, repeat: 1, concurrency: null,
  db, overwrite: db !== null, otlp: null, format: 'json', quiet: false, report: false, workers, resume,
});

describe('run --workers interrupted', () => {
  it('writes the runs that ended, and --resume completes them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-workers-interrupt-'));
    const reference = join(folder, 'reference.db');
    expect(await runCommand(scenarios, { ...options(reference, 1, null), quiet: true }, captureIo(), { stopped: false })).toBe(0);

    const db = join(folder, 'interrupted.db');
    const io = captureIo();
    // Ctrl-C as soon as the first run has ended.
    const stop = { get stopped(): boolean { return io.stderr.some((line) => line.startsWith('completed ')); } };
    expect(await runCommand(scenarios, options(db, 2, null), io, stop)).toBe(130);
    expect(io.stderr.some((line) => line.startsWith('interrupted: ') && line.includes('--resume'))).toBe(true);
    const left = openDatabase(db, { readonly: true });
    const statuses = left.prepare('SELECT status FROM runs ORDER BY run_id').pluck().all() as string[];
    left.close();
    // The cells' files carry no indexes (they are unioned): the output builds its own, or, one cell
    // finished alone, gets them before it is moved into place.
    expect(indexNames(db)).toEqual([...INDEX_NAMES].sort());
    expect(statuses).toContain('completed');
    expect(statuses.filter((status) => status === 'completed').length).toBeLessThan(4);

    const resumed = captureIo();
    expect(await main(['run', ...scenarios, '--cases', '40', '--resume', db, '--quiet', '--no-report', '--format', 'json'], resumed), resumed.stderr.join('\n')).toBe(0);
    expect(resultsDigest(db)).toEqual(resultsDigest(reference));
  });
});
