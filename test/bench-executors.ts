/**
 * Agent calls per second of each executor (the lead wires `benchExecutors` into `npm run bench`;
 * `npx tsx test/bench-executors.ts` prints it alone). Each pattern runs a shipped scenario on
 * virtual time through the full call pipeline and tracing into a null sink, so the figure is the
 * executor plus simulation cost, not storage: sequential and single-agent on legal-review, fanout
 * on due-diligence, router on support-routing, supervisor on market-research. Each measurement is
 * the median of several timed runs of about 10,000 agent calls, after a warm-up run.
 */
import { pathToFileURL } from 'node:url';
import { materialiseCases } from '../harness/run/cases.ts';
import { closedLoad } from '../harness/scenario/load-overrides.ts';
import { executeRun } from '../harness/run/runner.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import type { PatternName } from '../harness/scenario/types.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { NullSink } from '../reports/store/null-sink.ts';

const CASES: readonly [PatternName, string][] = [
  ['sequential', 'legal-review'],
  ['fanout', 'due-diligence'],
  ['router', 'support-routing'],
  ['supervisor', 'market-research'],
  ['single-agent', 'legal-review'],
];

/** Runs every pattern `rounds` times (after one warm-up) and returns the median agent calls/s of each. */
export async function benchExecutors(rounds = 7, targetCalls = 20_000): Promise<{ pattern: string; callsPerSecond: number }[]> {
  const results: { pattern: string; callsPerSecond: number }[] = [];
  for (const [pattern, name] of CASES) {
    const scenario = compileScenarioFile(new URL(`../scenarios/${name}.yaml`, import.meta.url).pathname);
    const sink = new NullSink();
    const run = async (seed: number, workflows: number) => {
      const spec = { scenario, pattern, variant: 'base', seed, cases: materialiseCases(scenario, workflows), repeat: 1, load: closedLoad(100) };
      return executeRun(spec, sink, new VirtualClock());
    };
    // Calibrate: workflows for about `targetCalls` agent calls.
    const probe = await run(1, 200);
    const workflows = Math.max(100, Math.round((targetCalls * probe.workflows) / Math.max(1, probe.agentCalls)));
    const rates: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Start each round from a collected heap (npm run bench exposes gc), so rounds do not pay for each other's garbage.
      (globalThis as { gc?: () => void }).gc?.();
      const started = performance.now();
      const outcome = await run(round + 2, workflows);
      rates.push(outcome.agentCalls / ((performance.now() - started) / 1000));
    }
    rates.sort((a, b) => a - b);
    results.push({ pattern, callsPerSecond: Math.round(rates[Math.floor(rates.length / 2)] as number) });
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchExecutors();
  const sequential = results.find((result) => result.pattern === 'sequential')?.callsPerSecond ?? 1;
  console.log('| pattern | agent calls/s (traced, null sink) | ÷ sequential |\n| --- | ---: | ---: |');
  for (const { pattern, callsPerSecond } of results) {
    console.log(`| ${pattern} | ${callsPerSecond.toLocaleString('en-US')} | ${(callsPerSecond / sequential).toFixed(2)} |`);
  }
}
