/**
 * Load benchmarks (part of `npm run bench`):
 *   1. one hour of simulated traffic at 100 workflows/s (Poisson) through the 4-step legal-review
 *      chain — 360,000 workflows, 1.44 M agent calls — fully recorded (spans, workflows, time
 *      series, histograms) through the SQLite writer thread, with wall time and peak memory;
 *   2. real-time mode: 10,000 agent calls in flight at once (a closed loop of 10,000 one-call
 *      workflows on the wall clock) for 30 s (calls of 5–15 s, as LLM calls take), with the harness's scheduling lag p50/p99.
 */
import { join } from 'node:path';
import { materialiseCases } from '../harness/run/cases.ts';
import { RealClock } from '../harness/kernel/real-clock.ts';
import { executeRun } from '../harness/run/runner.ts';
import { compileScenarioFile, compileScenarioText } from '../harness/run/load-scenario.ts';
import type { LoadModel } from '../harness/scenario/types.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { DurationHistogram } from '../harness/kernel/hdr.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { REALTIME_BATCH_ROWS, SqliteWriterSink } from '../reports/store/sqlite-writer-sink.ts';

/** Runs `task` while sampling the resident set size every 20 ms; returns its result, wall seconds and peak RSS (MiB). */
async function measured<T>(task: () => Promise<T>): Promise<{ result: T; seconds: number; peakMiB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  // process.memoryUsage.rss() reads the RSS alone; process.memoryUsage() walks the heap spaces, a
  // pause the real-time benchmark would count as scheduling lag.
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  const result = await task();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { result, seconds, peakMiB: Math.max(peak, process.memoryUsage.rss()) / 2 ** 20 };
}

/** One hour at 100 workflows/s through legal-review's 4-step chain, fully recorded. */
export async function benchHourAt100PerSecond(folder: string): Promise<[string, string][]> {
  const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
  const load: LoadModel = { kind: 'open', process: 'poisson', phases: [{ durationMs: 3_600_000, fromPerSecond: 100, toPerSecond: 100 }], maxInFlight: null, onFull: 'drop', windowMs: null };
  const path = join(folder, 'hour.db');
  const { result, seconds, peakMiB } = await measured(async () => {
    const sink = SqliteWriterSink.open(path, { overwrite: true });
    const outcome = await executeRun({ scenario, pattern: 'sequential', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load }, sink, new VirtualClock());
    await sink.close();
    return outcome;
  });
  const db = openDatabase(path, { readonly: true });
  const spans = db.prepare('SELECT count(*) FROM spans').pluck().get() as number;
  db.close();
  return [
    [
      `1 h at 100 workflows/s, legal-review 4-step chain: ${result.workflows.toLocaleString('en-US')} workflows, ${result.agentCalls.toLocaleString('en-US')} agent calls, ${spans.toLocaleString('en-US')} spans, fully recorded (target ≤ 10 s)`,
      `${seconds.toFixed(1)} s wall = ${Math.round(result.agentCalls / seconds).toLocaleString('en-US')} calls/s, peak RSS ${peakMiB.toFixed(0)} MiB`,
    ],
  ];
}

/** 10,000 agent calls in flight on the wall clock: the harness's scheduling lag. */
export async function benchRealtimeLag(folder: string): Promise<[string, string][]> {
  const scenario = compileScenarioText(
    `name: realtime-lag
agents:
  worker: { role: answers, model: mid-tier, latency: { dist: uniform, min: 5s, max: 15s }, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 100000, labels: { ok: 1 } }
patterns:
  single-agent: { agent: worker }
`,
    'bench:realtime-lag',
  );
  const path = join(folder, 'realtime.db');
  const { result, seconds, peakMiB } = await measured(async () => {
    const sink = SqliteWriterSink.open(path, { overwrite: true, batchRows: REALTIME_BATCH_ROWS });
    const outcome = await executeRun(
      { scenario, pattern: 'single-agent', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load: { kind: 'closed', concurrency: 10_000, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: 30_000, windowMs: null } },
      sink,
      new RealClock(),
    );
    await sink.close();
    return outcome;
  });
  const db = openDatabase(path, { readonly: true });
  const encoded = db.prepare("SELECT encoded FROM histograms WHERE metric = 'harness.lag'").pluck().get() as string;
  const inFlight = db.prepare('SELECT max(in_flight_max) FROM timeseries').pluck().get() as number;
  db.close();
  const lag = DurationHistogram.decode(encoded);
  const ms = (q: number): string => `${(lag.quantileMs(q) ?? 0).toFixed(2)} ms`;
  return [
    [
      `real time: ${inFlight.toLocaleString('en-US')} agent calls in flight for ${seconds.toFixed(1)} s (${result.workflows.toLocaleString('en-US')} workflows, recorded), scheduling lag (target p99 ≤ 5 ms)`,
      `p50 ${ms(0.5)}, p99 ${ms(0.99)}, max ${((lag.maxMs ?? 0)).toFixed(2)} ms over ${lag.count.toLocaleString('en-US')} timers; peak RSS ${peakMiB.toFixed(0)} MiB`,
    ],
  ];
}
