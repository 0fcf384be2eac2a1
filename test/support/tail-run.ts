/** Helpers of the trace retention tests: a scenario with failures, budget stops and a threshold, run in memory under a trace policy. */
import { materialiseCases } from '../../harness/run/cases.ts';
import { executeRun, type RunOutcome } from '../../harness/run/runner.ts';
import type { TracePolicy } from '../../harness/run/trace-policy.ts';
import type { ThresholdSpec } from '../../harness/scenario/thresholds.ts';
import type { CompiledScenario, LoadModel } from '../../harness/scenario/types.ts';
import { VirtualClock } from '../../harness/kernel/virtual-clock.ts';
import { MemorySink } from '../../reports/store/memory-sink.ts';
import { scenarioFromYaml } from './run-scenario.ts';

/**
 * Two agents in a chain, each call failing 30 % of the time (before retries), a workflow token
 * budget that stops about a third of the workflows, `p95(latency) < 20s`, and a two-minute open
 * load at 20/s (~2,400 workflows).
 */
export const MIXED_SCENARIO = `
name: tail-mix
seed: 7
agents:
  drafter: { role: drafts, model: mid-tier, promptTokens: 500, outputTokens: { dist: lognormal, p50: 400, p95: 1500 }, latency: { dist: lognormal, p50: 2s, p95: 8s }, faults: { error: 0.3, timeout: 0, rateLimit: 0 } }
  checker: { role: checks, model: small-fast, promptTokens: 300, outputTokens: { dist: lognormal, p50: 200, p95: 600 }, latency: { dist: lognormal, p50: 1s, p95: 3s }, faults: { error: 0.3, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 100, labels: { ok: 0.5, other: 0.5 } }
labels: [ok, other]
patterns:
  sequential: { steps: [drafter, checker] }
budgets: { workflow: { tokens: 4000 } }
load:
  arrivals: poisson
  phases:
    - { duration: 2m, rate: 20/s }
thresholds:
  - p95(latency) < 20s
`;

/** Options of `runTraces`. */
export interface TraceRunOptions {
  readonly seed?: number;
  /** Default: the scenario's load. */
  readonly load?: LoadModel;
  /** `--threshold` checks beside the scenario's. */
  readonly thresholds?: readonly ThresholdSpec[];
}

/** Runs the scenario's first pattern under `traces` (null: the default for its load) into memory. */
export async function runTraces(
  scenario: CompiledScenario | string,
  traces: TracePolicy | null,
  options: TraceRunOptions = {},
): Promise<{ outcome: RunOutcome; sink: MemorySink }> {
  const compiled = typeof scenario === 'string' ? scenarioFromYaml(scenario) : scenario;
  const sink = new MemorySink();
  const pattern = [...compiled.patterns.keys()][0];
  if (pattern === undefined) throw new Error('the scenario has no pattern');
  const outcome = await executeRun(
    {
      scenario: compiled,
      pattern,
      variant: 'base',
      seed: options.seed ?? compiled.seed,
      cases: materialiseCases(compiled, null),
      repeat: 1,
      load: options.load ?? compiled.load,
      traces,
    },
    sink,
    new VirtualClock(),
    { thresholds: options.thresholds ?? [] },
  );
  return { outcome, sink };
}

/** Workflow ids whose spans `sink` holds. */
export function keptWorkflows(sink: MemorySink): Set<number> {
  return new Set(sink.spans.map((span) => span.workflowId));
}
