/**
 * Memory flat in run length (part of `npm run bench`; issue 17 item 6): one open load of a
 * one-step workflow at 1,000 workflows/s (Poisson, calls of 1–3 s, ~2,000 in flight) for 1,000 s
 * of virtual time — about 1,000,000 workflows — through the SQLite writer thread, keeping every
 * trace (`--traces all`: the run that writes the most). After every 50,000 finished workflows the
 * main thread's heap is collected (`--expose-gc`) and the process's resident set read, so a figure
 * is what the run holds, not garbage waiting for a collection. The target: RSS after 1 M workflows
 * within 10 % of RSS after 100 k.
 *
 * What a run holds per finished workflow is one latency (a double) in its time-series window, for
 * the window's exact nearest-rank p50/p95 (`harness/run/run-metrics.ts`): 8 MB per million
 * workflows. Everything else a workflow allocates is released when it ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { materialiseCases } from '../harness/run/cases.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { executeRun } from '../harness/run/runner.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import type { LoadModel } from '../harness/scenario/types.ts';
import { SqliteWriterSink } from '../reports/store/sqlite-writer-sink.ts';

const WORKFLOWS = 1_000_000;
const RATE_PER_SECOND = 1000;
const EVERY = 50_000;

const SCENARIO = `name: flat-memory
agents:
  worker: { role: answers, model: mid-tier, latency: { dist: uniform, min: 1s, max: 3s } }
cases:
  generate: { count: 1000, labels: { ok: 1 } }
patterns:
  single-agent: { agent: worker }
`;

/** MiB of `bytes`. */
const mib = (bytes: number): number => bytes / 2 ** 20;

/** RSS and main-thread heap after a full collection. */
function settled(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

/** The memory-flatness benchmark's rows. */
export async function benchMemoryFlat(): Promise<[string, string][]> {
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-flat-memory-'));
  try {
    return await measureFlat(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function measureFlat(folder: string): Promise<[string, string][]> {
  const scenario = compileScenarioText(SCENARIO, 'bench:flat-memory');
  const load: LoadModel = {
    kind: 'open', process: 'poisson', phases: [{ durationMs: (WORKFLOWS / RATE_PER_SECOND) * 1000, fromPerSecond: RATE_PER_SECOND, toPerSecond: RATE_PER_SECOND }],
    maxInFlight: null, onFull: 'drop', windowMs: null,
  };
  const sink = SqliteWriterSink.open(join(folder, 'flat-memory.db'), { overwrite: true });
  const marks = new Map<number, { rss: number; heap: number }>();
  let finished = 0;
  const started = performance.now();
  const outcome = await executeRun(
    { scenario, pattern: 'single-agent', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load, traces: { mode: 'all' } },
    sink,
    new VirtualClock(),
    {
      checkpoints: false,
      onWorkflow: () => {
        if (++finished % EVERY === 0) marks.set(finished, settled());
      },
    },
  );
  await sink.close();
  const seconds = (performance.now() - started) / 1000;
  const at100k = marks.get(100_000);
  const at1m = marks.get(WORKFLOWS);
  if (at100k === undefined || at1m === undefined) throw new Error(`the run ended after ${finished} workflows, before 1,000,000`);
  const later = [...marks].filter(([count]) => count >= 100_000);
  const peak = Math.max(...later.map(([, mark]) => mark.rss));
  return [
    [
      `memory flat in run length: ${outcome.workflows.toLocaleString('en-US')} one-call workflows at 1,000/s (open load, ~2,000 in flight), --traces all, SQLite writer thread, ${seconds.toFixed(1)} s wall; RSS after 1 M ÷ after 100 k (target ≤ 1.1)`,
      `${(at1m.rss / at100k.rss).toFixed(3)}: ${mib(at100k.rss).toFixed(0)} → ${mib(at1m.rss).toFixed(0)} MiB (largest from 100 k on, every 50 k: ${mib(peak).toFixed(0)} MiB); main-thread heap ${mib(at100k.heap).toFixed(1)} → ${mib(at1m.heap).toFixed(1)} MiB`,
    ],
  ];
}
