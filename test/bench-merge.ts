/**
 * The merge benchmark (part of `npm run bench`): `mergeDatabases` joining the files of a sharded
 * job. Two results files of the legal-review chain at 100 workflows/s for 150 simulated seconds
 * (seeds 1 and 2: ~15,000 workflows, ~167,000 spans and ~60,000 checkpoints each, 333,000 spans in
 * all — five simulated minutes) are written once; each timed iteration merges them into a new file,
 * from opening and checking the inputs to the closed output with its indexes — the files of
 * `run --shard 1/2` and `--shard 2/2`, whose runs are copied as they are. A second case splits one
 * of them into two shards of one run (even and odd workflows, as `test/support/shard-split.ts`
 * does, then vacuumed) and merges those: the path that combines a run's shards. Target: ≥ 300,000 spans/s.
 * Alone: `node --import tsx test/bench-merge.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { Bench } from 'tinybench';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { materialiseCases } from '../harness/run/cases.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { executeRun } from '../harness/run/runner.ts';
import type { LoadModel } from '../harness/scenario/types.ts';
import { mergeDatabases } from '../reports/store/merge/merge.ts';
import { SqliteWriterSink } from '../reports/store/sqlite-writer-sink.ts';
import { splitByParity } from './support/shard-split.ts';

const SIMULATED_MS = 150_000;

/** One run of legal-review at 100 workflows/s for `SIMULATED_MS` into a new file at `path`. */
async function writeRun(path: string, seed: number): Promise<void> {
  const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
  const load: LoadModel = { kind: 'open', process: 'poisson', phases: [{ durationMs: SIMULATED_MS, fromPerSecond: 100, toPerSecond: 100 }], maxInFlight: null, onFull: 'drop', windowMs: null };
  const sink = SqliteWriterSink.open(path, { overwrite: true });
  await executeRun({ scenario, pattern: 'sequential', variant: 'base', seed, cases: materialiseCases(scenario, null), repeat: 1, load }, sink, new VirtualClock());
  await sink.close();
}

/** Mean wall milliseconds of the bench task named `name`. */
function meanMs(bench: Bench, name: string): number {
  const result = bench.tasks.find((task) => task.name === name)?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`no result for ${name}`);
  return result.latency.mean;
}

/** Runs the merge benchmark and returns Markdown table rows: [measure, value]. */
export async function benchMerge(): Promise<[string, string][]> {
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-bench-merge-'));
  try {
    const [first, second] = [join(folder, 'seed-1.db'), join(folder, 'seed-2.db')];
    await writeRun(first, 1);
    await writeRun(second, 2);
    const shards = splitByParity(first, folder);
    // A split copy keeps the deleted half as free pages; a shard written by a run has none.
    for (const shard of shards) {
      const db = new Database(shard);
      db.exec('VACUUM');
      db.close();
    }
    const out = join(folder, 'merged.db');
    const cases = [
      { name: 'merge: two files of different runs (run --shard 1/2, 2/2)', inputs: [first, second] },
      { name: 'merge: two shards of one run (even / odd workflows), combined', inputs: shards },
    ];
    const spans = new Map<string, number>();
    // CPU time beside wall time: on a shared machine, wall time also counts the waits for a core.
    const cpu = new Map<string, { micros: number; merges: number }>();
    const bench = new Bench({ time: 4_000, iterations: 5, warmupIterations: 1 });
    for (const { name, inputs } of cases) {
      bench.add(name, () => {
        rmSync(out, { force: true });
        const before = process.cpuUsage();
        spans.set(name, mergeDatabases(out, inputs).spans);
        const used = process.cpuUsage(before);
        const total = cpu.get(name) ?? { micros: 0, merges: 0 };
        cpu.set(name, { micros: total.micros + used.user + used.system, merges: total.merges + 1 });
      });
    }
    await bench.run();
    return cases.map(({ name }) => {
      const seconds = meanMs(bench, name) / 1000;
      const count = spans.get(name) ?? 0;
      const used = cpu.get(name) ?? { micros: 0, merges: 1 };
      const cpuSeconds = used.micros / used.merges / 1e6;
      const rate = (per: number): string => Math.round(count / per).toLocaleString('en-US');
      return [
        `${name}: ${count.toLocaleString('en-US')} spans, inputs checked, indexes built (target ≥ 300,000 spans/s)`,
        `${seconds.toFixed(2)} s wall = ${rate(seconds)} spans/s; ${cpuSeconds.toFixed(2)} s CPU = ${rate(cpuSeconds)} spans/CPU-s`,
      ];
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [measure, value] of await benchMerge()) console.log(`| ${measure} | ${value} |`);
}
