// A task that fails on a worker thread fails the command with its own code, and leaves no file of
// its own behind; a bad --workers is bad input (exit 2).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { HarnessError } from '../harness/kernel/errors.ts';
import { runCellPool } from '../harness/run/cell-pool.ts';
import type { RunCellInit, RunCellTask } from '../harness/run/run-cell.ts';
import { makeTemplate } from '../harness/run/cell-union.ts';
import type { RunOutcome } from '../harness/run/runner.ts';
import { captureIo } from './support/capture-io.ts';

const legalReview = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;

describe('run --workers errors', () => {
  it('keeps the code of an error thrown on a worker and leaves no file of the failed task', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-workers-errors-'));
    const init: RunCellInit = {
      matrix: { patterns: null, variants: null, seeds: null, cases: 10, repeat: 1, concurrency: null },
      thresholds: [],
      checkpoints: false,
      stop: new SharedArrayBuffer(4),
      writerThread: false,
      template: makeTemplate(folder),
    };
    // The worker plans legal-review's runs with seed 42: none is the run the task names.
    const task: RunCellTask = { cell: 0, runId: 'legal-review/sequential/base/seed-7', file: legalReview, slice: null, out: join(folder, 'cell-0.db'), indexes: true };
    const failing = runCellPool<RunCellTask, RunOutcome>({ module: new URL('../harness/run/run-cell.ts', import.meta.url), init, tasks: [task], workers: 1 });
    await expect(failing).rejects.toBeInstanceOf(HarnessError);
    await expect(failing).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('no longer run legal-review/sequential/base/seed-7') });
    expect(existsSync(task.out)).toBe(false);
  });

  it('refuses a --workers that is not a positive integer', async () => {
    for (const workers of ['0', 'two', '-1']) {
      const io = captureIo();
      expect(await main(['run', legalReview, '--workers', workers, '--no-report'], io)).toBe(2);
      expect(io.stderr.join('\n')).toContain('--workers must be a positive integer');
    }
  });
});
