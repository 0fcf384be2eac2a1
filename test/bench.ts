/**
 * `npm run bench` (tinybench; not part of `npm test`). Measures, in one process, side by side:
 *   1. simulated agent calls per second end to end for the shipped 4-step chain (legal-review:
 *      lognormal latencies, faults, retries, tool calls), traced and stored in SQLite on virtual
 *      time — with the SQLite writer thread `run` uses, and with the in-thread sink (one core);
 *   2. the same without storage (what the simulation and tracing cost alone);
 *   3. orchestration overhead per workflow of a 4-step chain whose steps do no work — patternbench
 *      (full call pipeline, tracing and SQLite) against LangGraph.js running four no-op nodes as a
 *      StateGraph (no tracing, no storage);
 * then the storage ceiling of `bench-storage.ts` (SQLite alone, one core, no simulation), agent
 * calls per second of every executor, one large run (100,000 agent calls) with its
 * peak memory, and the load benchmarks of `bench-load.ts` (an hour at 100 workflows/s; real time
 * with 10,000 calls in flight; the hour split by workflow on one and two workers), the sweep grid
 * (`bench-sweep.ts`), merging a sharded job's files (`bench-merge.ts`) and the `npm start` suite
 * on one and two workers (`bench-workers.ts`), then the live memory per workflow in flight of an
 * open load (`bench-memory.ts`) and the resident set after 100 k and 1 M workflows of one run
 * (`bench-memory-flat.ts`). Results go to stdout as Markdown tables to paste into BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { Bench } from 'tinybench';
import { materialiseCases } from '../harness/run/cases.ts';
import { closedLoad } from '../harness/scenario/load-overrides.ts';
import { executeRun, type RunSpec } from '../harness/run/runner.ts';
import { compileScenarioFile, compileScenarioText } from '../harness/run/load-scenario.ts';
import type { CompiledScenario } from '../harness/scenario/types.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { NullSink } from '../reports/store/null-sink.ts';
import type { RecordSink } from '../reports/store/sink.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { SqliteWriterSink } from '../reports/store/sqlite-writer-sink.ts';
import { benchExecutors } from './bench-executors.ts';
import { benchHourAt100PerSecond, benchHourSplit } from './bench-load.ts';
import { benchWorkers } from './bench-workers.ts';
import { benchReports } from './bench-report.ts';
import { benchStorageCeiling } from './bench-storage.ts';
import { SEMI_SPACE_MIB } from '../harness/cli/launcher.js';

// Measure what `patternbench run` gets: its launcher starts virtual-time runs with this young
// generation (package.json's bench script passes the same flag) and real-time runs with a smaller one.
const virtualFlag = `--max-semi-space-size=${SEMI_SPACE_MIB.virtual}`;
if (!process.execArgv.includes(virtualFlag)) throw new Error(`run the benchmarks with node ${virtualFlag} (npm run bench does)`);

const WORKFLOWS_PER_ITERATION = 2_500; // 10,000 agent calls
const folder = mkdtempSync(join(tmpdir(), 'patternbench-bench-'));

const legalReview = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
const noOpAgent = (name: string): string => `
  ${name}:
    role: no-op step
    model: rule-based
    latency: 0
    faults: { error: 0, timeout: 0, rateLimit: 0 }`;
const noOpChain = compileScenarioText(
  `name: no-op-chain
agents:${noOpAgent('a')}${noOpAgent('b')}${noOpAgent('c')}${noOpAgent('d')}
cases:
  generate: { count: ${WORKFLOWS_PER_ITERATION}, labels: { done: 1 } }
patterns:
  sequential: { steps: [a, b, c, d] }
`,
  'bench:no-op-chain',
);

function spec(scenario: CompiledScenario, seed: number, workflows: number): RunSpec {
  return {
    scenario,
    pattern: 'sequential',
    variant: 'base',
    seed,
    cases: materialiseCases(scenario, workflows),
    repeat: 1,
    load: closedLoad(100),
  };
}

/** Runs `scenario` once per call with a fresh seed (a new run id) into `sink`; returns agent calls. */
function runner(scenario: CompiledScenario, sink: () => RecordSink, workflows: number): () => Promise<number> {
  let seed = 0;
  return async () => (await executeRun(spec(scenario, ++seed, workflows), sink(), new VirtualClock(), { checkpoints: false })).agentCalls;
}

const chainWriter = SqliteWriterSink.open(join(folder, 'chain-writer.db'), { overwrite: true });
const chainInThread = SqliteSink.open(join(folder, 'chain-in-thread.db'), { overwrite: true });
const noOpWriter = SqliteWriterSink.open(join(folder, 'no-op.db'), { overwrite: true });
const nullSink = new NullSink();
const State = Annotation.Root({ step: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }) });
const langGraph = new StateGraph(State)
  .addNode('a', (state) => ({ step: state.step + 1 }))
  .addNode('b', (state) => ({ step: state.step + 1 }))
  .addNode('c', (state) => ({ step: state.step + 1 }))
  .addNode('d', (state) => ({ step: state.step + 1 }))
  .addEdge(START, 'a')
  .addEdge('a', 'b')
  .addEdge('b', 'c')
  .addEdge('c', 'd')
  .addEdge('d', END)
  .compile();

// Executors first, on a fresh heap, each against the same null sink.
const executors = await benchExecutors();

const bench = new Bench({ time: 4_000, iterations: 8, warmupIterations: 2 });
/** Flushes after each iteration so every timed iteration includes writing its own rows. */
function stored(scenario: CompiledScenario, sink: RecordSink): () => Promise<void> {
  const run = runner(scenario, () => sink, WORKFLOWS_PER_ITERATION);
  return async () => {
    await run();
    await sink.flush();
  };
}
bench
  .add('patternbench: legal-review 4-step chain, traced + SQLite writer thread (2,500 workflows)', stored(legalReview, chainWriter))
  .add('patternbench: legal-review 4-step chain, traced + SQLite in-thread (2,500 workflows)', stored(legalReview, chainInThread))
  .add('patternbench: legal-review 4-step chain, traced, not stored (2,500 workflows)', runner(legalReview, () => nullSink, WORKFLOWS_PER_ITERATION))
  .add('patternbench: no-op 4-step chain, traced + SQLite writer thread (2,500 workflows)', stored(noOpChain, noOpWriter))
  .add('LangGraph.js: no-op 4-node StateGraph (1 workflow)', async () => {
    await langGraph.invoke({ step: 0 });
  });
await bench.run();

function meanMs(name: string): number {
  const task = bench.tasks.find((candidate) => candidate.name === name);
  const result = task?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`no result for ${name}`);
  return result.latency.mean;
}

const calls = WORKFLOWS_PER_ITERATION * 4;
const writerMs = meanMs(bench.tasks[0]!.name);
const inThreadMs = meanMs(bench.tasks[1]!.name);
const unstoredMs = meanMs(bench.tasks[2]!.name);
const noOpPerWorkflowUs = (meanMs(bench.tasks[3]!.name) * 1000) / WORKFLOWS_PER_ITERATION;
const langGraphPerWorkflowUs = meanMs(bench.tasks[4]!.name) * 1000;

await chainWriter.close();
await chainInThread.close();
await noOpWriter.close();

// What SQLite alone can store on one core: the ceiling of any end-to-end figure above.
const { rows: storageRows, ceilingCallsPerSecond } = await benchStorageCeiling(folder);

// One large run: 25,000 workflows = 100,000 agent calls, traced and stored, with peak memory.
globalThis.gc?.();
const bigSink = SqliteWriterSink.open(join(folder, 'big.db'), { overwrite: true });
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const started = performance.now();
const big = await executeRun(spec(legalReview, 1, 25_000), bigSink, new VirtualClock(), { checkpoints: false });
await bigSink.close();
const bigSeconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
// Real time in a process of its own, with the young generation of `run --realtime`.
const realtimeRows = JSON.parse(
  execFileSync(process.execPath, [`--max-semi-space-size=${SEMI_SPACE_MIB.realtime}`, '--import', 'tsx', new URL('./bench-realtime.ts', import.meta.url).pathname], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
) as [string, string][];
const loadRows = [
  ...(await benchHourAt100PerSecond(folder)),
  await benchHourSplit(folder, 1),
  await benchHourSplit(folder, 2),
  // What `run --workers 2` does with the hour keeping every trace (the CLI's default on this machine).
  await benchHourSplit(folder, 2, { mode: 'all' }),
  ...realtimeRows,
  ...benchReports(folder, join(folder, 'hour.db')),
];
rmSync(folder, { recursive: true, force: true });

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const rows: [string, string][] = [
  ['machine', `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`],
  ['date', new Date().toISOString().slice(0, 10)],
  ['agent calls/s, legal-review chain, traced + SQLite writer thread (target ≥ 100,000)', Math.round(calls / (writerMs / 1000)).toLocaleString('en-US')],
  ['agent calls/s, legal-review chain, traced + SQLite in-thread (one core)', Math.round(calls / (inThreadMs / 1000)).toLocaleString('en-US')],
  ['agent calls/s, legal-review chain, traced, not stored (simulation alone, one core; target ≥ 150,000)', Math.round(calls / (unstoredMs / 1000)).toLocaleString('en-US')],
  ...storageRows,
  ['stored calls/s (writer thread) ÷ storage ceiling without checkpoints, same run (target ≥ 0.85)', (calls / (writerMs / 1000) / ceilingCallsPerSecond).toFixed(2)],
  ['orchestration overhead per workflow, patternbench (4 no-op steps, traced + SQLite)', `${noOpPerWorkflowUs.toFixed(1)} µs`],
  ['orchestration overhead per workflow, LangGraph.js StateGraph (4 no-op nodes)', `${langGraphPerWorkflowUs.toFixed(1)} µs`],
  ['ratio patternbench ÷ LangGraph.js (target ≤ 1/100)', `1/${(langGraphPerWorkflowUs / noOpPerWorkflowUs).toFixed(1)}`],
  [
    '100,000 agent calls in one run (25,000 workflows), traced + SQLite writer thread, indexes built',
    `${bigSeconds.toFixed(2)} s wall = ${Math.round(big.agentCalls / bigSeconds).toLocaleString('en-US')} calls/s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  ],
  ...loadRows,
  ...(await (await import('./bench-sweep.ts')).benchSweepGrid()),
  ...(await (await import('./bench-merge.ts')).benchMerge()),
  ...benchWorkers(),
  ...(await (await import('./bench-memory.ts')).benchLiveMemory()),
  ...(await (await import('./bench-memory-flat.ts')).benchMemoryFlat()),
];
console.table(bench.table());
console.log('\n| measure | value |\n| --- | --- |');
for (const [measure, value] of rows) console.log(`| ${measure} | ${value} |`);
const sequential = executors.find((result) => result.pattern === 'sequential')?.callsPerSecond ?? 1;
console.log('\n| pattern (scenario) | agent calls/s, traced, not stored | ÷ sequential (target ≥ 0.5) |\n| --- | ---: | ---: |');
for (const { pattern, callsPerSecond } of executors) {
  console.log(`| ${pattern} | ${callsPerSecond.toLocaleString('en-US')} | ${(callsPerSecond / sequential).toFixed(2)} |`);
}
