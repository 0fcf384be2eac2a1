/**
 * What folding every span into `span_metrics` costs a run (a focused micro-benchmark, not part of
 * `npm run bench`): `node --max-semi-space-size=64 --import tsx test/bench-span-metrics.ts`.
 *
 *   1. the fold alone (`SpanMetricsFold.add`) over the spans of 2,500 legal-review workflows, per
 *      span and per agent call, and writing its rows at the run's end (`records`);
 *   2. the simulation of the same chain (traced, not stored, the fold included) with the fold and
 *      with it taken out, interleaved, per agent call: the end-to-end price.
 *
 * Prints a Markdown table to paste into BENCHMARKS.md.
 */
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { materialiseCases } from '../harness/run/cases.ts';
import { executeRun, type RunSpec } from '../harness/run/runner.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { closedLoad } from '../harness/scenario/load-overrides.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { MemorySink } from '../reports/store/memory-sink.ts';
import { NullSink } from '../reports/store/null-sink.ts';
import { SpanMetricsFold } from '../reports/store/span-metrics.ts';

const WORKFLOWS = 2_500;
const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
const spec = (seed: number): RunSpec => ({ scenario, pattern: 'sequential', variant: 'base', seed, cases: materialiseCases(scenario, WORKFLOWS), repeat: 1, load: closedLoad(100) });

const recorded = new MemorySink();
const { agentCalls } = await executeRun(spec(1), recorded, new VirtualClock());
const spans = recorded.spans;

const bench = new Bench({ time: 2_000, iterations: 10, warmupIterations: 3 });
bench
  .add('fold every span', () => {
    const fold = new SpanMetricsFold();
    for (const span of spans) fold.add(span);
  })
  .add('fold every span and write the rows', () => {
    const fold = new SpanMetricsFold();
    for (const span of spans) fold.add(span);
    fold.records('run');
  });
await bench.run();
const meanMs = (index: number): number => {
  const result = bench.tasks[index]?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`no result for ${bench.tasks[index]?.name}`);
  return result.latency.mean;
};

// End to end: the same runs with the fold and with `add` a no-op, interleaved so drift hits both.
const add = SpanMetricsFold.prototype.add;
const sink = new NullSink();
let seed = 100;
async function microsPerCall(folded: boolean): Promise<number> {
  SpanMetricsFold.prototype.add = folded ? add : (): void => undefined;
  const started = performance.now();
  const outcome = await executeRun(spec(++seed), sink, new VirtualClock());
  SpanMetricsFold.prototype.add = add;
  return ((performance.now() - started) * 1000) / outcome.agentCalls;
}
for (let warm = 0; warm < 3; warm++) await microsPerCall(true);
const withFold: number[] = [];
const withoutFold: number[] = [];
for (let round = 0; round < 12; round++) {
  withFold.push(await microsPerCall(true));
  withoutFold.push(await microsPerCall(false));
}
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const perSpanNs = (meanMs(0) * 1e6) / spans.length;
const perCallUs = (ms: number): string => `${((ms * 1000) / agentCalls).toFixed(2)} µs`;
console.log(`\nmachine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}\n`);
console.log('| measure | value |\n| --- | --- |');
console.log(`| spans folded per run (${WORKFLOWS.toLocaleString('en-US')} workflows, ${agentCalls.toLocaleString('en-US')} agent calls) | ${spans.length.toLocaleString('en-US')} (${(spans.length / agentCalls).toFixed(2)} per call) |`);
console.log(`| \`SpanMetricsFold.add\`, per span | ${perSpanNs.toFixed(0)} ns |`);
console.log(`| the fold, per agent call | ${perCallUs(meanMs(0))} |`);
console.log(`| the fold and its rows at the run's end, per agent call | ${perCallUs(meanMs(1))} |`);
console.log(`| simulation (traced, not stored), per agent call, with / without the fold (median of 12 interleaved runs) | ${median(withFold).toFixed(2)} / ${median(withoutFold).toFixed(2)} µs |`);
