/**
 * Load benchmarks (part of `npm run bench`):
 *   1. one hour of simulated traffic at 100 workflows/s (Poisson) through the 4-step legal-review
 *      chain — 360,000 workflows, 1.44 M agent calls — recorded (workflows, time series,
 *      histograms, span metrics, checkpoints) through the SQLite writer thread, with wall time,
 *      CPU time and peak memory: once keeping every span (`--traces all`), once by tail sampling
 *      (`--traces tail`, 1 %);
 *   1b. the same hour with `--traces tail` through `run --workers`' split by workflow
 *      (harness/run/slices.ts: 16 slices of 22,500 workflows, joined exactly), on one worker (the
 *      slices one after another in the calling thread) and on two worker threads; and with every
 *      trace kept on two worker threads, as `run --workers 2` runs it;
 *   2. real-time mode: 10,000 agent calls in flight at once (a closed loop of 10,000 one-call
 *      workflows on the wall clock) for 30 s (calls of 5–15 s, as LLM calls take), with the harness's scheduling lag p50/p99.
 */
import { join } from 'node:path';
import { materialiseCases } from '../harness/run/cases.ts';
import { RealClock } from '../harness/kernel/real-clock.ts';
import { executeRun, runIdOf } from '../harness/run/runner.ts';
import { runPool } from '../harness/run/run-pool.ts';
import { sliceCount } from '../harness/run/slices.ts';
import { planRuns, type MatrixOptions } from '../harness/run/matrix.ts';
import { availableParallelism } from 'node:os';
import { ArrivalSchedule } from '../harness/run/arrivals.ts';
import { compileScenarioFile, compileScenarioText } from '../harness/run/load-scenario.ts';
import type { LoadModel } from '../harness/scenario/types.ts';
import type { TracePolicy } from '../harness/run/trace-policy.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { DurationHistogram } from '../harness/kernel/hdr.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { REALTIME_BATCH_ROWS, SqliteWriterSink } from '../reports/store/sqlite-writer-sink.ts';

/** Runs `task` while sampling the resident set size every 20 ms; returns its result, wall seconds, CPU seconds of the process (every thread) and peak RSS (MiB). */
async function measured<T>(task: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number; peakMiB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  // process.memoryUsage.rss() reads the RSS alone; process.memoryUsage() walks the heap spaces, a
  // pause the real-time benchmark would count as scheduling lag.
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await task();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  return { result, seconds, cpuSeconds: (used.user + used.system) / 1e6, peakMiB: Math.max(peak, process.memoryUsage.rss()) / 2 ** 20 };
}

/**
 * `minutes` of 100 workflows/s through legal-review's 4-step chain into a new SQLite file, keeping
 * traces by `traces`; `checkpoints` true is `--checkpoints` (the CLI saves none for simulated agents).
 */
export async function benchLoadAt100PerSecond(folder: string, minutes: number, traces: TracePolicy, checkpoints = false): Promise<[string, string]> {
  const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
  const load: LoadModel = { kind: 'open', process: 'poisson', phases: [{ durationMs: minutes * 60_000, fromPerSecond: 100, toPerSecond: 100 }], maxInFlight: null, onFull: 'drop', windowMs: null };
  // The report benchmark (test/bench-report.ts) reads the hour with every trace from `hour.db`.
  const path = join(folder, `${minutes === 60 ? 'hour' : `load-${minutes}m`}${traces.mode === 'all' ? '' : '-tail'}.db`);
  const { result, seconds, cpuSeconds, peakMiB } = await measured(async () => {
    const sink = SqliteWriterSink.open(path, { overwrite: true });
    const outcome = await executeRun({ scenario, pattern: 'sequential', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load, traces }, sink, new VirtualClock(), { checkpoints });
    await sink.close();
    return outcome;
  });
  const db = openDatabase(path, { readonly: true });
  const spans = db.prepare('SELECT count(*) FROM spans').pluck().get() as number;
  db.close();
  const kept = result.traces.kept === null ? 'every trace' : `${Object.values(result.traces.kept).reduce((sum, n) => sum + n, 0).toLocaleString('en-US')} traces`;
  const length = minutes === 60 ? '1 h' : `${minutes} min`;
  const policy = traces.mode === 'all' ? '--traces all' : `--traces tail:${traces.share}`;
  return [
    `${length} at 100 workflows/s, legal-review 4-step chain, ${policy}${checkpoints ? ' --checkpoints' : ''}: ${result.workflows.toLocaleString('en-US')} workflows, ${result.agentCalls.toLocaleString('en-US')} agent calls; ${kept}, ${spans.toLocaleString('en-US')} spans stored (target ≤ 10 s for the hour)`,
    `${seconds.toFixed(1)} s wall = ${Math.round(result.agentCalls / seconds).toLocaleString('en-US')} calls/s, ${cpuSeconds.toFixed(1)} s CPU (both threads), peak RSS ${peakMiB.toFixed(0)} MiB`,
  ];
}

/** One hour at 100 workflows/s through legal-review's 4-step chain: every span kept, then by tail sampling (1 %). */
export async function benchHourAt100PerSecond(folder: string): Promise<[string, string][]> {
  return [await benchLoadAt100PerSecond(folder, 60, { mode: 'all' }), await benchLoadAt100PerSecond(folder, 60, { mode: 'tail', share: 0.01 })];
}

/**
 * The hour of `benchLoadAt100PerSecond` under `traces` (default `--traces tail`, 1 %), as `run
 * --workers <workers>` runs it: cut into slices by workflow, each a task of the cell pool into its
 * own file, joined exactly into `hour-split-<workers>.db` (no summary, thresholds or report, as above).
 */
export async function benchHourSplit(folder: string, workers: number, traces: TracePolicy = { mode: 'tail', share: 0.01 }): Promise<[string, string]> {
  const path = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
  const matrix: MatrixOptions = {
    patterns: ['sequential'], variants: null, seeds: [1], cases: null, repeat: 1, concurrency: null,
    load: { ratePerSecond: 100, arrivals: 'poisson', durationMs: 3_600_000, maxInFlight: null },
    traces,
  };
  const specs = planRuns([compileScenarioFile(path)], matrix);
  const spec = specs[0];
  if (spec === undefined || spec.load.kind !== 'open') throw new Error('the hour plans one open-load run');
  const phases = spec.load.phases;
  const { result, seconds, cpuSeconds, peakMiB } = await measured(() =>
    runPool({
      matrix, specs, workers, output: join(folder, `hour-split-${workers}${traces.mode === 'all' ? '-all' : ''}.db`), thresholds: [], checkpoints: false,
      expected: () => ArrivalSchedule.expectedArrivals(phases),
      observer: { startRun() {}, workflowsDone() {}, endRun() {} },
      stop: { stopped: false },
      cores: availableParallelism(),
    }),
  );
  const outcome = result[0];
  if (outcome === undefined) throw new Error(`${runIdOf(spec)} did not run`);
  return [
    `1 h at 100 workflows/s, legal-review 4-step chain, ${traces.mode === 'all' ? '--traces all' : `--traces tail:${traces.share}`}, split into ${sliceCount(spec)} slices on ${workers} worker${workers === 1 ? ' (in the calling thread)' : ' threads'}, joined: ${outcome.workflows.toLocaleString('en-US')} workflows, ${outcome.agentCalls.toLocaleString('en-US')} agent calls (target ${traces.mode === 'all' ? '≤ 35 s, ≤ 300 MiB' : '≤ 10 s'} on 2 cores)`,
    `${seconds.toFixed(1)} s wall = ${Math.round(outcome.agentCalls / seconds).toLocaleString('en-US')} calls/s, ${cpuSeconds.toFixed(1)} s CPU (every thread), peak RSS ${peakMiB.toFixed(0)} MiB`,
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
