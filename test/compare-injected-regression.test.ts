import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import type { Comparison } from '../reports/compare/compare.ts';
import { captureIo } from './support/capture-io.ts';
import { runLegalReview, withSlowerPattern } from './support/compare-dbs.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-compare-regression-'));
let base = '';
let head = '';

describe('compare with a latency regression injected (sequential ×1.3)', () => {
  beforeAll(async () => {
    base = await runLegalReview(folder, 'base', 300);
    head = withSlowerPattern(base, folder, 'head', 'sequential', 1.3);
  });

  it('exits 1 and names the cell and the rule that failed', async () => {
    const io = captureIo();
    expect(await main(['compare', base, head, '--fail-on', 'p95 +10%', 'accuracy -2pt'], io)).toBe(1);
    const failures = io.stderr.filter((line) => line.startsWith('regression:'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('legal-review/sequential/base');
    expect(failures[0]).toContain("'p95 +10%'");
    expect(io.stdout.join('\n')).toContain('FAIL p95 +10%');
  });

  it('finds the slowdown significant in the slowed pattern only, at +30 %', async () => {
    const io = captureIo();
    expect(await main(['compare', base, head, '--format', 'json'], io)).toBe(0);
    const comparison = JSON.parse(io.stdout.join('')) as Comparison;
    const cell = (pattern: string) => comparison.cells.find((entry) => entry.pattern === pattern);
    const sequential = cell('sequential')?.metrics ?? [];
    for (const metric of ['p50', 'p95', 'mean_latency'] as const) {
      const delta = sequential.find((entry) => entry.metric === metric);
      expect(delta?.significant, metric).toBe(true);
      expect(delta?.deltaPct).toBeCloseTo(30, 6);
    }
    expect(sequential.find((entry) => entry.metric === 'cost')?.significant).toBe(false);
    expect(cell('single-agent')?.metrics.filter((entry) => entry.significant)).toEqual([]);
  });

  it('passes a rule the change stays within', async () => {
    expect(await main(['compare', base, head, '--fail-on', 'p95 +40%,cost +5%'], captureIo())).toBe(0);
  });
});
