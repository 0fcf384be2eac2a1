import { afterAll, describe, expect, it } from 'vitest';
import { formatLoadBlock, summariseLoad, type RunLoad } from '../reports/summary/load.ts';
import { emptyResultsDb, insertRun } from './support/threshold-db.ts';
import type { Db } from '../reports/store/schema.ts';

/** An open load of `rate`/s for 120 s, as the runner stores it. */
const openLoad = (rate: number): string =>
  JSON.stringify({ kind: 'open', process: 'constant', phases: [{ durationMs: 120_000, fromPerSecond: rate, toPerSecond: rate }], maxInFlight: null, onFull: 'drop', windowMs: null });

/** Inserts workflow `id` of `runId`, arriving at `intendedMs` and ending `latencyMs` later. */
function insertWorkflow(db: Db, runId: string, id: number, intendedMs: number, latencyMs: number): void {
  db.prepare(
    `INSERT INTO workflows (run_id, workflow_id, case_id, repeat, status, intended_start_ms, start_ms, end_ms, latency_ms, service_ms,
       input_tokens, output_tokens, cached_tokens, cost_usd, agent_calls, model_attempts, correct, trace_id)
     VALUES (?, ?, ?, 0, 'completed', ?, ?, ?, ?, ?, 0, 0, 0, 0, 1, 1, 1, ?)`,
  ).run(runId, id, `c${id}`, intendedMs, intendedMs, intendedMs + latencyMs, latencyMs, latencyMs, `${runId}-${id}`);
}

/** The run's time series in windows `widthMs` wide (a long run's windows widen), arrivals and drops as given per ms. */
function insertSeries(db: Db, runId: string, widthMs: number, endMs: number, arrivals: (fromMs: number, toMs: number) => [number, number]): void {
  const insert = db.prepare(
    `INSERT INTO timeseries (run_id, window_start_ms, window_ms, arrivals, dropped, started, completed, failed, in_flight_max, in_flight_end,
       agent_calls, errors, cost_usd) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0)`,
  );
  for (let start = 0; start < endMs; start += widthMs) insert.run(runId, start, widthMs, ...arrivals(start, start + widthMs));
}

const db = emptyResultsDb();
const setLoad = (runId: string, load: string): void => void db.prepare('UPDATE runs SET load = ? WHERE run_id = ?').run(load, runId);

// queued: 40 arrivals/s for 120 s, every other one dropped at the cap; the 20/s that run take 1 s
// until 30 s, then wait longer and longer (2 s more per second of arrivals). Windows 16 s wide.
insertRun(db, { runId: 'queued', scenario: 's', pattern: 'router' });
setLoad('queued', openLoad(40));
for (let i = 0; i < 2400; i++) {
  const at = 50 * i;
  insertWorkflow(db, 'queued', i, at, at < 30_000 ? 1000 : 1000 + 2 * (at - 30_000));
}
insertSeries(db, 'queued', 16_000, 400_000, (from, to) => {
  const inRun = Math.max(0, Math.min(to, 120_000) - from) / 1000;
  return [40 * inRun, 20 * inRun];
});

// escalating: 20 arrivals/s for 120 s, each done in 1 s except every 14th, handed to a human who
// answers 20 min later before 30 s and 45 min later after: a tail that ends long after arrivals stop.
insertRun(db, { runId: 'escalating', scenario: 's', pattern: 'router' });
setLoad('escalating', openLoad(20));
for (let i = 0; i < 2400; i++) {
  const at = 50 * i;
  insertWorkflow(db, 'escalating', i, at, i % 14 !== 0 ? 1000 : at < 30_000 ? 1_200_000 : 2_700_000);
}
insertSeries(db, 'escalating', 16_000, 2_900_000, (from, to) => [20 * (Math.max(0, Math.min(to, 120_000) - from) / 1000), 0]);
afterAll(() => db.close());

const loads = new Map(summariseLoad(db, new Map([['queued', 5000]])).map((run) => [run.runId, run]));

describe('the load block\'s p95 break point', () => {
  it('gives the arrival rate at the break from the arrivals themselves, however wide the time-series windows', () => {
    const point = (loads.get('queued') as RunLoad).breakPoint;
    expect(point?.basis).toBe('threshold');
    // Blocks of 120 workflows (6 s): the one from 30 s is the first whose p95 passes 5 s.
    expect(point?.atMs).toBe(30_000);
    // 40 arrivals/s in the 30 s before, the dropped half included.
    expect(point?.arrivalRate).toBeCloseTo(40, 6);
    expect(formatLoadBlock([loads.get('queued') as RunLoad])).toContain('p95 broke threshold 5.00s at 30.0s (40.0 arrivals/s)');
  });

  it('does not call a tail that ends after the arrivals stopped a break', () => {
    const point = (loads.get('escalating') as RunLoad).breakPoint;
    expect(point?.atMs).toBeNull();
    expect(point?.drainTail).toBe(172); // the escalations: every 14th of 2,400
    expect(formatLoadBlock([loads.get('escalating') as RunLoad])).toMatch(/p95 held under 2× early p95 2\.00s \(not counting 172 over it that ended after arrivals stopped\)/);
  });
});
