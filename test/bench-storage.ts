/**
 * The storage ceiling (part of `npm run bench`): how many agent calls per second SQLite can record
 * on one core when simulating them costs nothing. The records of 2,500 legal-review workflows
 * (10,000 agent calls: their spans, workflows, checkpoints, time series and histograms) are produced
 * once into memory; each timed iteration writes all of them through the in-thread `SqliteSink` into
 * a new file — converting records to rows, batched multi-row INSERTs in WAL mode, indexes built and
 * the file closed — exactly what a run's storage does. Whatever the simulation costs comes on top,
 * so no end-to-end figure on one core can exceed this one.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { materialiseCases } from '../harness/run/cases.ts';
import { closedLoad } from '../harness/scenario/load-overrides.ts';
import { executeRun } from '../harness/run/runner.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { MemorySink } from '../reports/store/memory-sink.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';

const WORKFLOWS = 2_500;

/** Writes `records` (one run) to a new file at `path` and closes it. */
async function store(records: MemorySink, path: string, checkpoints: boolean): Promise<void> {
  rmSync(path, { force: true });
  const sink = SqliteSink.open(path, { overwrite: true });
  for (const run of records.runs) sink.beginRun(run);
  for (const span of records.spans) sink.writeSpan(span);
  for (const workflow of records.workflows) sink.writeWorkflow(workflow);
  for (const record of records.aux) if (checkpoints || record.table !== 'checkpoints') sink.writeAux(record);
  for (const { runId, ...end } of records.runEnds) sink.endRun(runId, end);
  await sink.close();
}

/**
 * The storage ceiling, as rows for the benchmark table, and the calls/s SQLite alone stores
 * without checkpoints (what a simulated run writes since `run` saves none for simulated agents).
 */
export async function benchStorageCeiling(folder: string): Promise<{ rows: [string, string][]; ceilingCallsPerSecond: number }> {
  const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
  const records = new MemorySink();
  const { agentCalls } = await executeRun(
    { scenario, pattern: 'sequential', variant: 'base', seed: 1, cases: materialiseCases(scenario, WORKFLOWS), repeat: 1, load: closedLoad(100) },
    records,
    new VirtualClock(),
  );
  const checkpoints = records.aux.filter((record) => record.table === 'checkpoints').length;
  const bench = new Bench({ time: 3_000, iterations: 6, warmupIterations: 2 });
  const path = join(folder, 'storage.db');
  bench
    .add('SQLite storage alone, every row', () => store(records, path, true))
    .add('SQLite storage alone, no checkpoints', () => store(records, path, false));
  await bench.run();
  const microsPerCall = (index: number): number => {
    const result = bench.tasks[index]?.result;
    if (result === undefined || !('latency' in result)) throw new Error(`no result for ${bench.tasks[index]?.name}`);
    return (result.latency.mean * 1000) / agentCalls;
  };
  const perCall = (index: number): string => {
    const micros = microsPerCall(index);
    return `${micros.toFixed(1)} µs per agent call = at most ${Math.round(1e6 / micros).toLocaleString('en-US')} calls/s`;
  };
  const rows = `${(records.spans.length / agentCalls).toFixed(2)} span rows, ${(checkpoints / agentCalls).toFixed(2)} checkpoint rows and ${(records.workflows.length / agentCalls).toFixed(2)} workflow rows per call`;
  return {
    rows: [
      [`storage ceiling, one core: SQLite alone writes the rows of ${agentCalls.toLocaleString('en-US')} legal-review agent calls (${rows}), indexes built`, perCall(0)],
      ['storage ceiling, one core, without checkpoints (what a simulated run stores)', perCall(1)],
    ],
    ceilingCallsPerSecond: 1e6 / microsPerCall(1),
  };
}
