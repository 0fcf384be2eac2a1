import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { DurationHistogram } from '../harness/kernel/hdr.ts';
import { openDatabase, type Db } from '../reports/store/schema.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';
import { splitByParity, writeDerivedTables } from './support/shard-split.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-shards-'));
const original = join(folder, 'original.db');
const merged = join(folder, 'merged.db');

/** `row` with fractional numbers rounded to 12 significant digits, so the order of a sum does not matter. */
function rounded(row: object): Record<string, unknown> {
  const round = (value: unknown): unknown => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(12)) : value);
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, round(value)]));
}

/** Rows of a query, rounded. */
function rows(db: Db, sql: string): Record<string, unknown>[] {
  return (db.prepare(sql).all() as object[]).map(rounded);
}

function both<T>(read: (db: Db) => T): [T, T] {
  const [a, b] = [openDatabase(original, { readonly: true }), openDatabase(merged, { readonly: true })];
  try {
    return [read(a), read(b)];
  } finally {
    a.close();
    b.close();
  }
}

describe('merging two shards of a run', () => {
  beforeAll(async () => {
    const run = ['run', scenario, '--cases', '150', '--concurrency', '8', '--db', original, '--quiet', '--format', 'json'];
    expect(await main(run, captureIo())).toBe(0);
    writeDerivedTables(original);
    const [first, second] = splitByParity(original, folder);
    const io = captureIo();
    expect(await main(['merge', merged, first, second], io)).toBe(0);
    expect(io.stderr.join('\n')).toContain('2 combined from shards');
  });

  it('gives the unsharded summary: totals, rates and percentiles', () => {
    const [before, after] = both((db) => summarise(db).map(rounded));
    expect(after).toHaveLength(2);
    expect(after[0]?.['workflows']).toBe(150);
    expect(after).toEqual(before);
  });

  it('restores the run rows, workflows and spans exactly', () => {
    const [before, after] = both((db) => ({
      runs: rows(db, 'SELECT * FROM runs ORDER BY run_id'),
      workflows: rows(db, 'SELECT * FROM workflows ORDER BY run_id, workflow_id'),
      spans: rows(db, 'SELECT * FROM spans ORDER BY trace_id, span_id'),
      indexes: rows(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
    }));
    expect(after.runs.every((run) => run['shard'] === '' && run['status'] === 'completed')).toBe(true);
    expect(after).toEqual(before);
  });

  it('adds the HDR histograms exactly: every quantile, count, min, max and mean', () => {
    const quantiles = [0, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
    const [before, after] = both((db) =>
      (db.prepare('SELECT * FROM histograms ORDER BY run_id, metric, scope').all() as Record<string, unknown>[]).map((row) => {
        const histogram = DurationHistogram.decode(row['encoded'] as string);
        return rounded({ ...row, encoded: null, quantiles: quantiles.map((q) => histogram.quantileMs(q)), decoded: histogram.count });
      }),
    );
    expect(after.length).toBeGreaterThanOrEqual(6); // latency and service per run, and one per agent
    expect(after).toEqual(before);
  });

  it('adds the span metrics exactly: counts, errors by type, tokens, cost, durations and every quantile', () => {
    const quantiles = [0, 0.5, 0.95, 0.99, 1];
    const [before, after] = both((db) =>
      (db.prepare('SELECT * FROM span_metrics ORDER BY run_id, operation, agent_name, request_model').all() as Record<string, unknown>[]).map((row) => {
        const histogram = DurationHistogram.decode(row['duration_encoded'] as string);
        return rounded({ ...row, quantiles: quantiles.map((q) => histogram.quantileMs(q)), decoded: histogram.count });
      }),
    );
    expect(after.length).toBeGreaterThanOrEqual(10); // per run: the root, and each agent's calls, attempts and tool calls
    expect(after.some((row) => (row['retries'] as number) > 0)).toBe(true);
    expect(after.some((row) => row['error_types'] !== '{}')).toBe(true);
    expect(after).toEqual(before);
  });

  it('sums the time series and recomputes each window\'s p50 and p95 from the merged workflows', () => {
    const [before, after] = both((db) => ({
      timeseries: rows(db, 'SELECT * FROM timeseries ORDER BY run_id, window_start_ms'),
      queues: rows(db, 'SELECT * FROM queue_series ORDER BY run_id, resource, window_start_ms'),
      events: rows(db, 'SELECT * FROM events ORDER BY run_id, seq'),
    }));
    expect(after.timeseries.length).toBeGreaterThan(10);
    expect(after.timeseries.some((row) => (row['completed'] as number) > 1)).toBe(true);
    expect(after).toEqual(before);
  });
});
