// Progress covers every worker: without a terminal, `run --workers 2` prints one line as each run
// starts and one as it ends, for every run of the matrix; and a task reports its workflows to the
// calling thread in batches (`PROGRESS_EVERY`, then the rest at its end), not one message each.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { makeTemplate } from '../harness/run/cell-union.ts';
import { createCellRunner, PROGRESS_EVERY, type RunCellProgress } from '../harness/run/run-cell.ts';
import { captureIo } from './support/capture-io.ts';

const legalReview = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const triage = new URL('../scenarios/triage-router.yaml', import.meta.url).pathname;

describe('run --workers progress', () => {
  it('lists every run as it starts and ends', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-progress-'));
    const io = captureIo();
    const code = await main(['run', legalReview, triage, '--cases', '30', '--db', join(folder, 'r.db'), '--workers', '2', '--no-report', '--format', 'json'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    const runs = ['legal-review/sequential/base/seed-42', 'legal-review/single-agent/base/seed-42', 'triage-router/router/base/seed-11', 'triage-router/single-agent/base/seed-11'];
    for (const run of runs) {
      expect(io.stderr).toContain(`running ${run}: 30 workflows`);
      expect(io.stderr.some((line) => line.startsWith(`completed ${run}: 30 workflows, `))).toBe(true);
    }
  });

  it('reports workflows in batches', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-progress-'));
    const runner = createCellRunner({
      matrix: { patterns: ['single-agent'], variants: null, seeds: null, cases: null, repeat: 4, concurrency: 20 },
      thresholds: [],
      checkpoints: false,
      stop: new SharedArrayBuffer(4),
      writerThread: false,
      template: makeTemplate(folder),
    });
    const reports: RunCellProgress[] = [];
    const outcome = await runner.run({ cell: 0, runId: 'legal-review/single-agent/base/seed-42', file: legalReview, slice: null, out: join(folder, 'cell.db'), indexes: true }, (progress) => reports.push(progress));
    expect(outcome.workflows).toBe(1200);
    expect(reports[0]).toEqual({ kind: 'start' });
    const counts = reports.slice(1).map((report) => (report.kind === 'workflows' ? report.count : -1));
    expect(counts).toEqual([PROGRESS_EVERY, PROGRESS_EVERY, 1200 - 2 * PROGRESS_EVERY]);
  });
});
