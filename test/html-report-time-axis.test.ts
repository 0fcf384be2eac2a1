import { afterAll, describe, expect, it } from 'vitest';
import type { ChartSpec, ReportSection } from '../reports/html/chart-spec.ts';
import { timeSections } from '../reports/html/charts-time.ts';
import { runFindings, scenarioReport, type ScenarioReport } from '../reports/html/data.ts';
import { chooseTimeAxis, DRAIN_SHARE, isUnloaded, type RunTiming } from '../reports/html/time-axis.ts';
import type { Db } from '../reports/store/schema.ts';
import { emptyResultsDb, insertRun, insertWorkflows, type WorkflowFields } from './support/threshold-db.ts';

const HOUR = 3_600_000;

/** A run's timing for `chooseTimeAxis`: an open load whose arrivals stop at `arrivalsEndMs` (null: a closed loop over the cases). */
const timing = (label: string, arrivalsEndMs: number | null, latencyP95Ms: number, endMs: number): RunTiming => ({
  label,
  load: arrivalsEndMs === null ? { kind: 'closed', concurrency: 1, arrivalsEndMs: null } : { kind: 'open', concurrency: 1, arrivalsEndMs },
  latencyP95Ms,
  endMs,
});

describe('chooseTimeAxis', () => {
  it('stops a 15-minute peak whose escalations end 12 h later at the arrivals plus a drain of at most a tenth of them', () => {
    // support-routing-peak: the router's p95 is 27 s, its escalations end 12.2 h in; the single agent queues (p95 6 min).
    const axis = chooseTimeAxis([timing('router', 900_000, 27_000, 12.2 * HOUR), timing('single-agent', 900_000, 361_000, 1_261_000)]);
    expect(DRAIN_SHARE).toBe(0.1);
    expect(axis).toEqual({ endMs: 990_000, clipped: true, arrivalsEndMs: 900_000 });
  });

  it('drains for the p95 latency when that is shorter than a tenth of the arrivals', () => {
    expect(chooseTimeAxis([timing('router', 900_000, 27_000, 12.2 * HOUR)])).toEqual({ endMs: 927_000, clipped: true, arrivalsEndMs: 900_000 });
  });

  it('keeps the whole run when its tail is short, so nothing is cut for little gain', () => {
    // credit-check-outage: 10 min of arrivals, the last workflow ends at 12.1 min.
    expect(chooseTimeAxis([timing('sequential', 600_000, 90_000, 725_000)])).toEqual({ endMs: 725_000, clipped: false, arrivalsEndMs: null });
  });

  it('draws closed loops over the cases whole: they have no arrival period', () => {
    expect(chooseTimeAxis([timing('a', null, 5_000, 3 * HOUR), timing('b', null, 5_000, 10 * HOUR)])).toEqual({ endMs: 10 * HOUR, clipped: false, arrivalsEndMs: null });
  });

  it('has no end when no run recorded one', () => {
    expect(chooseTimeAxis([{ label: 'empty', load: { kind: 'none', concurrency: 1, arrivalsEndMs: null }, latencyP95Ms: null, endMs: null }])).toEqual({
      endMs: null,
      clipped: false,
      arrivalsEndMs: null,
    });
  });
});

describe('isUnloaded', () => {
  it('is true of a closed loop of one and of a run without a load block, false under open arrivals or several in flight', () => {
    expect(isUnloaded({ kind: 'closed', concurrency: 1, arrivalsEndMs: null })).toBe(true);
    expect(isUnloaded({ kind: 'none', concurrency: 1, arrivalsEndMs: null })).toBe(true);
    expect(isUnloaded({ kind: 'closed', concurrency: 8, arrivalsEndMs: null })).toBe(false);
    expect(isUnloaded({ kind: 'open', concurrency: 1, arrivalsEndMs: 60_000 })).toBe(false);
  });
});

// A results file with two scenarios:
//  - peak: 100 s of open arrivals (10/s), each workflow done in 4 s, except every 50th, escalated and
//    answered 10 h later; windows of 1 s for 200 s, then of an hour. A breaker opens at 50 s and again at 5 h;
//    a rate limit still has calls waiting at 3 h.
//  - steady: a closed loop of one workflow at a time over 40 cases, 30 s each.
const ARRIVALS_MS = 100_000;
const LATENCY_MS = 4_000;
const ESCALATED_MS = 10 * HOUR;

function build(): Db {
  const db = emptyResultsDb();
  const setLoad = (runId: string, load: object): void => void db.prepare('UPDATE runs SET load = ? WHERE run_id = ?').run(JSON.stringify(load), runId);
  insertRun(db, { runId: 'peak-run', scenario: 'peak', pattern: 'router' });
  setLoad('peak-run', { kind: 'open', process: 'constant', phases: [{ durationMs: ARRIVALS_MS, fromPerSecond: 10, toPerSecond: 10 }], maxInFlight: null, onFull: 'drop', windowMs: null });
  const peak: WorkflowFields[] = [];
  for (let i = 0; i < 1000; i++) {
    const at = i * 100;
    peak.push({ status: 'completed', intendedStartMs: at, startMs: at, endMs: at + (i % 50 === 49 ? ESCALATED_MS : LATENCY_MS), costUsd: 0.01, correct: true });
  }
  insertWorkflows(db, 'peak-run', peak);
  const window = db.prepare(
    `INSERT INTO timeseries (run_id, window_start_ms, window_ms, arrivals, dropped, started, completed, failed, in_flight_max, in_flight_end,
       latency_p50_ms, latency_p95_ms, agent_calls, errors, cost_usd) VALUES ('peak-run', ?, ?, ?, 0, ?, ?, 0, ?, 0, ?, ?, 0, 0, ?)`,
  );
  for (let start = 0; start < 200_000; start += 1000) {
    const arriving = start < ARRIVALS_MS ? 10 : 0;
    window.run(start, 1000, arriving, arriving, start >= LATENCY_MS && start < ARRIVALS_MS + LATENCY_MS ? 10 : 0, 40, LATENCY_MS, LATENCY_MS, 0.1);
  }
  for (let start = 200_000; start < 11 * HOUR; start += HOUR) window.run(start, HOUR, 0, 0, 2, 20, ESCALATED_MS, ESCALATED_MS, 0);
  const queue = db.prepare(`INSERT INTO queue_series VALUES ('peak-run', 'rate:openai/gpt-4.1-mini', ?, ?, ?, 0, 10, 0, 250)`);
  for (let start = 0; start < 200_000; start += 1000) queue.run(start, 1000, start < 120_000 ? 7 : 0);
  queue.run(3 * HOUR, HOUR, 3);
  const event = db.prepare(`INSERT INTO events VALUES ('peak-run', ?, ?, NULL, 'breaker.open', 'gpt-4.1-mini', NULL, '{}')`);
  event.run(0, 50_000);
  event.run(1, 5 * HOUR);

  insertRun(db, { runId: 'steady-run', scenario: 'steady', pattern: 'sequential' });
  setLoad('steady-run', { kind: 'closed', concurrency: 1, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: null, windowMs: null });
  insertWorkflows(
    db,
    'steady-run',
    Array.from({ length: 40 }, (_, i) => ({ status: 'completed' as const, intendedStartMs: i * 30_000, startMs: i * 30_000, endMs: (i + 1) * 30_000, correct: true })),
  );
  const steady = db.prepare(
    `INSERT INTO timeseries (run_id, window_start_ms, window_ms, arrivals, dropped, started, completed, failed, in_flight_max, in_flight_end,
       latency_p50_ms, latency_p95_ms, agent_calls, errors, cost_usd) VALUES ('steady-run', ?, 16000, 1, 0, 1, 1, 0, 1, 1, 30000, 30000, 1, 0, 0.01)`,
  );
  for (let start = 0; start < 1_200_000; start += 16_000) steady.run(start);
  return db;
}

const db = build();
afterAll(() => db.close());
const findings = runFindings(db);
const report = (scenario: string): ScenarioReport => scenarioReport(db, scenario, findings);
const sections = (scenario: string): ReportSection[] => timeSections(report(scenario), 's0').filter((section) => section.id !== 's0-waterfalls');
const charts = (scenario: string): ChartSpec[] => sections(scenario).flatMap((section) => section.charts);

describe('the over-time charts of a short peak with a long escalation tail', () => {
  const endS = (ARRIVALS_MS + LATENCY_MS) / 1000; // the drain is the p95 latency, 4 s: under a tenth of 100 s

  it('end every time axis at the arrivals plus the drain, within 10 % of the arrival period', () => {
    const ids = charts('peak').map((chart) => chart.id);
    expect(ids).toEqual(['s0-throughput', 's0-in-flight', 's0-p95-over-time', 's0-spend-over-time', 's0-queue-length', 's0-events-timeline']);
    for (const chart of charts('peak')) {
      expect(chart.x, chart.id).toMatchObject({ format: 'seconds', min: 0, max: endS });
      expect(endS).toBeLessThanOrEqual(1.1 * (ARRIVALS_MS / 1000));
    }
  });

  it('draws the arrival period in full resolution and nothing past the first window beyond the axis', () => {
    const throughput = charts('peak').find((chart) => chart.id === 's0-throughput') as ChartSpec;
    const xs = (throughput.datasets[0]?.data ?? []).map((point) => (point as { x: number }).x);
    expect(xs.length).toBeGreaterThan(100); // 1-second windows, not hour-wide buckets of the 11 h run
    expect(Math.max(...xs)).toBeGreaterThanOrEqual(endS);
    expect(Math.max(...xs)).toBeLessThan(endS + 2);
  });

  it('counts under each chart the workflows that ended after the drain, and when the last did', () => {
    const late = db.prepare("SELECT count(*) FROM workflows WHERE run_id = 'peak-run' AND end_ms > ?").pluck().get(endS * 1000) as number;
    expect(late).toBe(20);
    for (const id of ['s0-throughput', 's0-in-flight', 's0-p95-over-time', 's0-spend-over-time']) {
      expect(charts('peak').find((chart) => chart.id === id)?.note).toBe('router: 20 workflows ended after the drain, the last at 10.0h (not shown).');
    }
    const queue = charts('peak').find((chart) => chart.id === 's0-queue-length');
    expect(queue?.note).toContain('Calls still waited after the drain: router · rate:openai/gpt-4.1-mini until 4.0h.');
  });

  it('leaves the events after the drain off the timeline and says how many there were', () => {
    const timeline = charts('peak').find((chart) => chart.id === 's0-events-timeline') as ChartSpec;
    expect(timeline.datasets.flatMap((dataset) => dataset.data)).toHaveLength(1);
    expect(timeline.note).toBe('1 event after the drain, the last at 5.0h (not shown).');
    expect(report('peak').events).toMatchObject({ total: 2, later: { events: 1, lastS: 5 * 3600 } });
  });

  it('says in the section note where the axis stops and why', () => {
    const load = sections('peak').find((section) => section.id === 's0-load');
    expect(load?.note).toContain('The time axis stops at 1.7m: 1.7m of arrivals, then 4.00s for the work in flight to drain (a run’s p95 latency, at most 10 % of its arrival period)');
  });
});

describe('the over-time charts of a closed loop of one workflow at a time', () => {
  it('draw p95 over time only, and say why throughput and in flight are left out', () => {
    const load = sections('steady').find((section) => section.id === 's0-load') as ReportSection;
    expect(load.charts.map((chart) => chart.id)).toEqual(['s0-p95-over-time']);
    expect(load.title).toBe('p95 latency over time');
    expect(load.note).toContain('Throughput, in flight and spend are not drawn for any run: each is a closed loop of one workflow at a time');
    expect(load.note).not.toContain('time axis stops');
  });

  it('run the time axis to the end of the run, uncut', () => {
    const [p95] = charts('steady');
    expect(p95?.x).toMatchObject({ min: 0, max: 1200 });
    expect(p95?.note).toBeUndefined();
    expect(p95?.datasets[0]?.spanGaps).toBe(true); // a workflow ends in one 16 s window of two: one line, not dashes
    expect(charts('peak').find((chart) => chart.id === 's0-p95-over-time')?.datasets[0]?.spanGaps).toBeUndefined();
  });
});
