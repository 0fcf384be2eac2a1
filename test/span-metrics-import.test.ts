/**
 * `patternbench import` folds the spans it reads into span metrics as a run folds them as they end:
 * the traces a run exported come back with the run's own `span_metrics` rows (durations to within
 * the nanosecond OTLP carries them to), so the report of an imported file shows the run's figures.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { DurationHistogram } from '../harness/kernel/hdr.ts';
import { captureIo } from './support/capture-io.ts';
import { runExportingTraces } from './support/otlp-file-receiver.ts';
import { rowsOf, writeFlakyChain } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-metrics-'));

const METRICS = 'SELECT * FROM span_metrics ORDER BY run_id, operation, agent_name, request_model';

/** A row with its durations set aside, and its cost to 12 significant digits. */
function counted(row: Record<string, unknown>): Record<string, unknown> {
  const { duration_sum_ms: _sum, duration_min_ms: _min, duration_max_ms: _max, duration_encoded: _encoded, cost_usd: cost, ...rest } = row;
  return { ...rest, cost_usd: Number((cost as number).toPrecision(12)) };
}

describe('span metrics of imported traces', () => {
  it('are the span metrics of the run that exported them', async () => {
    const original = join(folder, 'original.db');
    const traces = join(folder, 'traces.jsonl');
    expect(await runExportingTraces(writeFlakyChain(folder), original, traces)).toBe(0);
    const imported = join(folder, 'imported.db');
    expect(await main(['import', traces, '--db', imported], captureIo())).toBe(0);

    const [back, sent] = [rowsOf(imported, METRICS), rowsOf(original, METRICS)];
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.some((row) => (row['retries'] as number) > 0 && (row['operation'] as string) === 'invoke_agent')).toBe(true);
    expect(back.map(counted)).toEqual(sent.map(counted));
    back.forEach((row, index) => {
      const other = sent[index] as Record<string, unknown>;
      const spans = row['spans'] as number;
      // Each duration comes back within a nanosecond, so to the same µs but where it sat on a rounding edge.
      expect(Math.abs((row['duration_sum_ms'] as number) - (other['duration_sum_ms'] as number))).toBeLessThanOrEqual(0.001 * spans);
      const [mine, theirs] = [DurationHistogram.decode(row['duration_encoded'] as string), DurationHistogram.decode(other['duration_encoded'] as string)];
      for (const q of [0.5, 0.95, 1]) expect(Math.abs((mine.quantileMs(q) as number) - (theirs.quantileMs(q) as number))).toBeLessThanOrEqual(0.001 * (theirs.quantileMs(q) as number) + 0.001);
    });
  });
});
