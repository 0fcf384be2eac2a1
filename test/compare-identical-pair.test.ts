import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import type { Comparison } from '../reports/compare/compare.ts';
import { captureIo } from './support/capture-io.ts';
import { runLegalReview } from './support/compare-dbs.ts';

describe('compare of two runs of the same scenario and seed', () => {
  it('passes every rule, with no significant delta and nothing added or removed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-compare-identical-'));
    const base = await runLegalReview(folder, 'base', 100);
    const head = await runLegalReview(folder, 'head', 100);
    const rules = ['p50 +0%', 'p95 +0%', 'p99 +0%', 'mean_latency +0%', 'cost +0%', 'accuracy -0pt', 'success -0pt'];
    const io = captureIo();
    expect(await main(['compare', base, head, '--format', 'json', '--fail-on', ...rules], io)).toBe(0);
    const comparison = JSON.parse(io.stdout.join('')) as Comparison & { failures: unknown[] };
    expect(comparison.cells).toHaveLength(2);
    const metrics = comparison.cells.flatMap((cell) => cell.metrics);
    expect(metrics).toHaveLength(14);
    expect(metrics.filter((metric) => metric.significant || metric.delta !== 0)).toEqual([]);
    expect(comparison.failures).toEqual([]);
    expect([...comparison.added, ...comparison.removed]).toEqual([]);
    expect(io.stderr).toEqual([]);
  });
});
