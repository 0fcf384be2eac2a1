import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import type { RunBatching } from '../reports/summary/levers/batching.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-batch-report-'));
const db = join(folder, 'batch.db');
const html = join(folder, 'batch.html');

// Fixed distributions: a 1 s call, P = 3,000 prompt tokens, I = 1,000 per item, O = 200 out, mid-tier prices
// ($0.40 in, $1.60 out per million); 100 arrivals, one every 100 ms; alone against batches of 5 (never waiting 10 s).
const P = 3000;
const I = 1000;
const O = 200;
const alone = ((P + I) * 0.4 + O * 1.6) / 1e6;
const batchedBy5 = ((P / 5 + I) * 0.4 + O * 1.6) / 1e6;

let rows: RunBatching[] = [];
let page = '';
let terminal = '';

beforeAll(async () => {
  const file = join(folder, 'batch.yaml');
  writeFileSync(
    file,
    `name: batch-report
agents:
  extractor: { role: extracts, model: mid-tier, promptTokens: ${P}, outputTokens: ${O}, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 100, labels: { a: 1 }, inputTokens: ${I} }
patterns:
  single-agent: { agent: extractor }
load: { arrivals: constant, rate: 10/s, duration: 10s }
variants:
  batch-5:
    agents:
      extractor: { batch: { size: 5, wait: 10s } }
`,
  );
  const run = captureIo();
  expect(await main(['run', file, '--db', db, '--quiet', '--no-threshold-gate'], run)).toBe(0);
  const json = captureIo();
  expect(await main(['summary', db, '--format', 'json'], json)).toBe(0);
  rows = (JSON.parse(json.stdout.join('\n')) as { batching: RunBatching[] }).batching;
  const table = captureIo();
  expect(await main(['summary', db], table)).toBe(0);
  terminal = table.stdout.join('\n');
  expect(await main(['report', db, '--out', html], captureIo())).toBe(0);
  page = readFileSync(html, 'utf8');
});

describe('the batching block and section: cost per item and p95 with and without batching under the same load', () => {
  it('gives the closed forms: cost per item (P + I)·p_in + O·p_out alone, (P/5 + I)·p_in + O·p_out in batches of 5; 20 batches of 5 waiting 200 ms on average; p95 1 s alone, 1.4 s batched', () => {
    const base = rows.find((row) => row.variant === 'base');
    const batched = rows.find((row) => row.variant === 'batch-5');
    expect(base).toMatchObject({ agent: 'extractor', size: null, calls: 100, batches: null, latencyP95Ms: 1000 });
    expect(batched).toMatchObject({ agent: 'extractor', size: 5, waitMs: 10_000, calls: 100, batches: 20, batchedItems: 100, meanWaitMs: 200, latencyP95Ms: 1400 });
    expect(base?.costPerItemUsd).toBeCloseTo(alone, 15);
    expect(batched?.costPerItemUsd).toBeCloseTo(batchedBy5, 15);
    // The saving per item: (1 − 1/n) × P·p_in ÷ ((P + I)·p_in + O·p_out) = 0.8 × 1200 ÷ 1920 = 50 %.
    expect(batched?.savingPerItem).toBeCloseTo((0.8 * P * 0.4) / ((P + I) * 0.4 + O * 1.6), 12);
    expect(terminal).toContain('batching (cost per item and p95 with and without batching');
    expect(terminal).toMatch(/batch-5\s+\S+\s+≤5 · 10\.0s\s+20\s+5\.00\s+200ms\s+\$0\.000960\s+−50\.0%/);
  });

  it('shows the same figures in the HTML report, each raw value in data-value', () => {
    expect(page).toContain('<h3>Batching</h3>');
    const value = (run: string, field: string) => new RegExp(`<tr data-run-id="${run}">.*?data-field="${field}" data-value="([^"]*)"`).exec(page)?.[1];
    const batchedRun = rows.find((row) => row.variant === 'batch-5')?.runId ?? '';
    expect(Number(value(batchedRun, 'cost_per_item_usd'))).toBe(rows.find((row) => row.variant === 'batch-5')?.costPerItemUsd);
    expect(Number(value(batchedRun, 'batches'))).toBe(20);
    expect(Number(value(batchedRun, 'latency_p95_ms'))).toBe(1400);
  });
});
