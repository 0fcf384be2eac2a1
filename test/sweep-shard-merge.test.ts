// The Kubernetes recipe: each pod runs `sweep --shard i/n` into its own file, `merge` joins them,
// and `sweep --results` analyses the merged file. The merged shards hold exactly the rows of the
// sweep run whole (each run's shard label aside), and give the same boundaries.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/triage-router.yaml', import.meta.url).pathname;
const SWEEP = ['sweep', scenario, '--vary', 'agents.triage-classifier.skill=0.7,0.8,0.9', '--cases', '200', '--quiet', '--no-report', '--resamples', '300'];

/** Rows of every table that means something, decoded and in key order (wall-clock times and shard labels aside). */
function content(path: string): Record<string, string> {
  const db = openDatabase(path, { readonly: true });
  const queries: Record<string, string> = {
    runs: 'SELECT run_id, scenario, pattern, variant, seed, config, status, virtual_end_ms, load FROM runs ORDER BY run_id',
    workflows: 'SELECT * FROM workflows ORDER BY run_id, workflow_id',
    spans: 'SELECT * FROM spans ORDER BY trace_id, span_id',
    histograms: 'SELECT * FROM histograms ORDER BY run_id, metric, scope',
    timeseries: 'SELECT * FROM timeseries ORDER BY run_id, window_start_ms',
    events: 'SELECT * FROM events ORDER BY run_id, seq',
    thresholds: 'SELECT * FROM thresholds ORDER BY run_id, expression',
    sweep_points: 'SELECT * FROM sweep_points ORDER BY run_id, axis',
  };
  try {
    return Object.fromEntries(Object.entries(queries).map(([table, sql]) => {
      const rows = db.prepare(sql).raw().all();
      return [table, `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`];
    }));
  } finally {
    db.close();
  }
}

async function cli(args: readonly string[]): Promise<string> {
  const io = captureIo();
  const code = await main(args, io);
  expect(code, io.stderr.join('\n')).toBe(0);
  return io.stdout.join('\n');
}

describe('sweep --shard', () => {
  it('gives files that merge into the rows and boundaries of the whole sweep', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-shards-'));
    const whole = join(folder, 'whole.db');
    const printed = await cli([...SWEEP, '--db', whole]);
    await cli([...SWEEP, '--shard', '1/2', '--db', join(folder, 'shard-1.db')]);
    await cli([...SWEEP, '--shard', '2/2', '--db', join(folder, 'shard-2.db')]);
    const merged = join(folder, 'merged.db');
    await cli(['merge', merged, join(folder, 'shard-1.db'), join(folder, 'shard-2.db')]);
    expect(content(merged)).toEqual(content(whole));
    expect(content(whole)['runs']?.startsWith('6:')).toBe(true);
    expect(await cli(['sweep', '--results', merged, '--no-report', '--quiet', '--resamples', '300'])).toBe(printed);
  });
});
