// A large run whose workflows share nothing is cut into slices (workflow_id % K), a task each, and
// joined exactly: the joined file is the same for one, two and three workers (under --traces tail
// too, each slice deciding which traces it keeps, by the same rules); its workflows and
// spans are those of the run made whole in one thread; and its time series, whose windows widen
// pairwise in a long run (slices ending at different times may widen differently), has the
// in-flight peak of each window the joined workflows give — not the sum of the slices' peaks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand, type RunCommandOptions } from '../harness/cli/run.ts';
import type { TracePolicy } from '../harness/run/trace-policy.ts';
import { INDEX_NAMES, openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { INDEXES_SQL } from './support/db-dump.ts';
import { resultsDigest } from './support/results-digest.ts';
import { slicedChainScenario } from './support/sliced-chain.ts';
import { tableDigests } from './support/table-digests.ts';

const SCENARIO = slicedChainScenario('sliced-chain', 9);

const options = (db: string, workers: number, sliceWorkflows: number, traces: TracePolicy): RunCommandOptions => ({
  patterns: null, variants: null, seeds: null, cases: null, repeat: 1, concurrency: null,
  db, overwrite: true, otlp: null, format: 'json', quiet: true, report: false, workers, sliceWorkflows, traces,
});

/** The in-flight peak of each window, by brute force: counts just after each start, and at the window's opening (a start counts before an end at the same time). */
function inFlightPeaks(workflows: readonly { start_ms: number; end_ms: number }[], windows: readonly { window_start_ms: number; window_ms: number }[]): number[] {
  const inFlightAfterStartsAt = (t: number): number => workflows.filter((w) => w.start_ms <= t && w.end_ms > t).length + workflows.filter((w) => w.start_ms === t && w.end_ms === t).length;
  const openAt = (t: number): number => workflows.filter((w) => w.start_ms < t && w.end_ms >= t).length;
  return windows.map(({ window_start_ms: from, window_ms: width }) => {
    const starts = workflows.filter((w) => w.start_ms >= from && w.start_ms < from + width).map((w) => inFlightAfterStartsAt(w.start_ms));
    return Math.max(openAt(from), ...starts);
  });
}

describe('a run split by workflow', () => {
  it('joins its slices exactly, the same for any number of workers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-slices-'));
    const scenario = join(folder, 'sliced-chain.yaml');
    writeFileSync(scenario, SCENARIO);
    const run = async (name: string, workers: number, sliceWorkflows: number, traces: TracePolicy = { mode: 'all' }): Promise<string> => {
      const db = join(folder, `${name}.db`);
      const io = captureIo();
      expect(await runCommand([scenario], options(db, workers, sliceWorkflows, traces), io, { stopped: false }), io.stderr.join('\n')).toBe(0);
      return db;
    };
    // 450 expected workflows, 110 per slice: 4 slices.
    const one = await run('one', 1, 110);
    expect(tableDigests(await run('three', 3, 110))).toEqual(tableDigests(one));
    const tail = { mode: 'tail', share: 0.05 } as const;
    expect(tableDigests(await run('tail-two', 2, 110, tail))).toEqual(tableDigests(await run('tail-one', 1, 110, tail)));

    const wholeDb = await run('whole', 1, 1_000_000);
    const whole = resultsDigest(wholeDb);
    const joined = resultsDigest(one);
    expect(joined['workflows']).toBe(whole['workflows']);
    expect(joined['spans']).toBe(whole['spans']);
    // The series too, but for the cost, a sum whose last digits depend on the order of addition.
    const series = (path: string): unknown[] => {
      const db = openDatabase(path, { readonly: true });
      try {
        return db.prepare('SELECT window_start_ms, window_ms, arrivals, dropped, started, completed, failed, in_flight_max, in_flight_end, latency_p50_ms, latency_p95_ms, agent_calls, errors, round(cost_usd, 9) FROM timeseries ORDER BY window_start_ms').raw().all();
      } finally {
        db.close();
      }
    };
    expect(series(one)).toEqual(series(wholeDb));

    const db = openDatabase(one, { readonly: true });
    try {
      expect(db.prepare('SELECT shard, status FROM runs').all()).toEqual([{ shard: '', status: 'completed' }]);
      // The slices are written without indexes; the joined file, moved into place as the output, has them.
      expect(db.prepare(INDEXES_SQL).pluck().all()).toEqual([...INDEX_NAMES].sort());
      const workflows = db.prepare('SELECT start_ms, end_ms FROM workflows').all() as { start_ms: number; end_ms: number }[];
      const windows = db.prepare('SELECT window_start_ms, window_ms, in_flight_max FROM timeseries ORDER BY window_start_ms').all() as { window_start_ms: number; window_ms: number; in_flight_max: number }[];
      expect(windows.map((window) => window.in_flight_max)).toEqual(inFlightPeaks(workflows, windows));
    } finally {
      db.close();
    }
  });
});
