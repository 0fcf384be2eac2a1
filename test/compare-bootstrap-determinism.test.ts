import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { compareCells } from '../reports/compare/compare.ts';
import type { CellSample } from '../reports/compare/load.ts';
import { captureIo } from './support/capture-io.ts';
import { runLegalReview, withSlowerPattern } from './support/compare-dbs.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-compare-determinism-'));
let base = '';
let head = '';

async function compareJson(...extra: string[]): Promise<string> {
  const io = captureIo();
  await main(['compare', base, head, '--format', 'json', ...extra], io);
  return io.stdout.join('');
}

/** A cell of `n` workflows with latencies 1, 2, …, n ms (× `scale`), each costing $0.01. */
function cell(n: number, scale: number): CellSample {
  const latencyMs = Float64Array.from({ length: n }, (_, index) => (index + 1) * scale);
  return { scenario: 's', pattern: 'p', variant: 'base', runs: 1, workflows: n, completed: n, dropped: 0, scored: n, correct: n, sample: { latencyMs, costUsd: new Float64Array(n).fill(0.01) } };
}

describe('compare bootstrap', () => {
  beforeAll(async () => {
    base = await runLegalReview(folder, 'base', 60);
    head = withSlowerPattern(base, folder, 'head', 'sequential', 1.1);
  });

  it('prints identical output for the same seed, and other intervals for another seed', async () => {
    const first = await compareJson('--seed', '7');
    expect(await compareJson('--seed', '7')).toBe(first);
    const other = await compareJson('--seed', '8');
    expect(other).not.toBe(first);
    const intervals = (json: string) => (JSON.parse(json) as { cells: { metrics: { ciLo: number | null }[] }[] }).cells.flatMap((c) => c.metrics.map((m) => m.ciLo));
    expect(intervals(other)).not.toEqual(intervals(first));
  });

  it('is deterministic on the subsampled path too (sides above the subsample size)', () => {
    const options = { seed: 3, maxSample: 500 };
    const once = compareCells([cell(2000, 1)], [cell(2000, 1.2)], options);
    expect(compareCells([cell(2000, 1)], [cell(2000, 1.2)], options)).toEqual(once);
    expect(compareCells([cell(2000, 1)], [cell(2000, 1.2)], { ...options, seed: 4 })).not.toEqual(once);
  });
});
