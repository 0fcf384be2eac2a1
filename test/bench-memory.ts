/**
 * Live memory per workflow in flight (part of `npm run bench`, which runs node with `--expose-gc`):
 * an open load of 100 workflows/s (Poisson) through legal-review's 4-step chain — the hour's load,
 * ~4,600 workflows in flight once it is steady — into a sink that keeps nothing. When the virtual
 * clock reaches minute 3 the heap is collected and measured with N workflows in flight; the figure
 * is (heap used − heap used before the first workflow) ÷ N: what one workflow in flight costs the
 * scavenger (its frames, promises, spans, streams and call state). Once with every trace kept
 * (spans go to the sink as they end), once under tail sampling (a workflow's spans wait with it
 * for the decision to keep them, as in the hour's `--traces tail` run).
 */
import { materialiseCases } from '../harness/run/cases.ts';
import { executeRun } from '../harness/run/runner.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import type { TracePolicy } from '../harness/run/trace-policy.ts';
import type { LoadModel } from '../harness/scenario/types.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { NullSink } from '../reports/store/null-sink.ts';

/** Virtual time at which the heap is measured: well past the ~50 s a workflow takes, so arrivals and ends balance. */
const PROBE_AT_MS = 180_000;

/** What one probe found. */
interface InFlightHeap {
  readonly inFlight: number;
  readonly bytesPerWorkflow: number;
  readonly heapMiB: number;
}

/** Heap used after two full collections (the second sweeps what the first's finalisation freed). */
function collectedHeapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the memory benchmark with node --expose-gc (npm run bench does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Runs the open load under `traces` and measures the heap at `PROBE_AT_MS` (the run is then carried on to its end). */
async function probe(traces: TracePolicy): Promise<InFlightHeap> {
  const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
  const load: LoadModel = { kind: 'open', process: 'poisson', phases: [{ durationMs: 4 * 60_000, fromPerSecond: 100, toPerSecond: 100 }], maxInFlight: null, onFull: 'drop', windowMs: null };
  const clock = new VirtualClock();
  // `shouldStop` is polled before each workflow starts: it counts the starts, `onWorkflow` the ends.
  let started = 0;
  let ended = 0;
  let baseline = 0;
  let found: InFlightHeap | null = null;
  await executeRun({ scenario, pattern: 'sequential', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load, traces }, new NullSink(), clock, {
    checkpoints: false,
    shouldStop: () => {
      if (started === 0) baseline = collectedHeapUsed();
      if (found === null && clock.now() >= PROBE_AT_MS) {
        const inFlight = started - ended;
        const used = collectedHeapUsed();
        found = { inFlight, bytesPerWorkflow: (used - baseline) / inFlight, heapMiB: used / 2 ** 20 };
      }
      started++;
      return false;
    },
    onWorkflow: () => {
      ended++;
    },
  });
  if (found === null) throw new Error(`the load ended before the probe at ${PROBE_AT_MS} ms`);
  return found;
}

/** The benchmark's rows: bytes per workflow in flight, every trace kept and under tail sampling. */
export async function benchLiveMemory(): Promise<[string, string][]> {
  const all = await probe({ mode: 'all' });
  const tail = await probe({ mode: 'tail', share: 0.01 });
  const row = (result: InFlightHeap): string =>
    `${(result.bytesPerWorkflow / 1024).toFixed(2)} KiB with ${result.inFlight.toLocaleString('en-US')} in flight (heap ${result.heapMiB.toFixed(1)} MiB)`;
  return [
    ['live memory per workflow in flight: open load, 100 workflows/s through legal-review, heap after GC at minute 3, --traces all (target ≤ 4 KiB)', row(all)],
    ['live memory per workflow in flight: the same, --traces tail:0.01 (spans held until the workflow ends)', row(tail)],
  ];
}
