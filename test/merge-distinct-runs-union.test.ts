import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';
import { writeDerivedTables } from './support/shard-split.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;

function tables(path: string): Record<string, unknown[]> {
  const db = openDatabase(path, { readonly: true });
  try {
    const all = (sql: string): unknown[] => db.prepare(sql).all();
    return {
      summary: summarise(db),
      runs: all('SELECT * FROM runs ORDER BY run_id'),
      workflows: all('SELECT * FROM workflows ORDER BY run_id, workflow_id'),
      spans: all('SELECT * FROM spans ORDER BY run_id, trace_id, span_id'),
      histograms: all('SELECT * FROM histograms ORDER BY run_id, metric, scope'),
      timeseries: all('SELECT * FROM timeseries ORDER BY run_id, window_start_ms'),
      events: all('SELECT * FROM events ORDER BY run_id, seq'),
    };
  } finally {
    db.close();
  }
}

describe('merging files of different runs', () => {
  it('is their union, every row unchanged', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-union-'));
    const [a, b, out] = ['seed-1.db', 'seed-2.db', 'merged.db'].map((name) => join(folder, name)) as [string, string, string];
    for (const [path, seed] of [[a, '1'], [b, '2']] as const) {
      expect(await main(['run', scenario, '--cases', '30', '--pattern', 'sequential', '--seed', seed, '--db', path, '--quiet'], captureIo())).toBe(0);
      writeDerivedTables(path);
    }
    expect(await main(['merge', out, a, b], captureIo())).toBe(0);
    const [first, second, merged] = [a, b, out].map(tables) as [Record<string, unknown[]>, Record<string, unknown[]>, Record<string, unknown[]>];
    expect(merged['runs']).toHaveLength(2);
    for (const table of Object.keys(merged)) expect(merged[table], table).toEqual([...(first[table] ?? []), ...(second[table] ?? [])]);
  });

  it('adds up the files of `run --shard 1/2` and `--shard 2/2` (different cells of the matrix)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-matrix-'));
    const [a, b, out] = ['shard-1.db', 'shard-2.db', 'merged.db'].map((name) => join(folder, name)) as [string, string, string];
    for (const [path, shard] of [[a, '1/2'], [b, '2/2']] as const) {
      expect(await main(['run', scenario, '--cases', '20', '--shard', shard, '--db', path, '--quiet'], captureIo())).toBe(0);
    }
    expect(await main(['merge', out, a, b], captureIo())).toBe(0);
    const [first, second, merged] = [a, b, out].map(tables) as [Record<string, unknown[]>, Record<string, unknown[]>, Record<string, unknown[]>];
    expect(merged['runs']?.map((run) => (run as { pattern: string }).pattern)).toEqual(['sequential', 'single-agent']);
    for (const table of Object.keys(merged)) expect(merged[table], table).toEqual([...(first[table] ?? []), ...(second[table] ?? [])]);
  });
});
