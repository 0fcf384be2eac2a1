import { runOnce, scenarioFromYaml } from './run-scenario.ts';
import { WorkflowSink } from './workflow-sink.ts';

/**
 * A scenario where every workflow is one call to one agent with a pool of `slots` and exponential
 * service of mean 100 ms (μ = 10/s), no faults, tools or network overhead, under Poisson arrivals
 * at `ratePerSecond` for `arrivals / ratePerSecond` seconds: an M/M/c queue.
 */
export function mmcScenarioYaml(ratePerSecond: number, slots: number, arrivals: number): string {
  return `
name: mmc
agents:
  server:
    role: serves one request
    model: mid-tier
    latency: { dist: exponential, mean: 100ms }
    faults: { error: 0, timeout: 0, rateLimit: 0 }
    retry: { attempts: 1 }
    pool: { slots: ${slots} }
cases:
  generate: { count: 1, labels: { a: 1 } }
patterns:
  single-agent: { agent: server }
network: { hopOverhead: 0ms }
load: { arrivals: poisson, rate: ${ratePerSecond}/s, duration: ${arrivals / ratePerSecond}s }
`;
}

/** What an M/M/c run measured, per workflow row, in order of intended start. */
export interface QueueRun {
  /** Intended start (arrival) and end of each workflow, ms, sorted by arrival. */
  readonly arrivalsMs: readonly number[];
  readonly endsMs: readonly number[];
  /** Mean time in system (latency from the intended start), ms. */
  readonly meanLatencyMs: number;
  /** Workflows that were not exactly one completed agent call with one model attempt starting on arrival. */
  readonly irregular: number;
}

/** Runs the M/M/c scenario once, keeping only the numbers the queueing tests need. */
export async function runQueue(ratePerSecond: number, slots: number, arrivals: number, seed: number): Promise<QueueRun> {
  const rows: { arrival: number; end: number }[] = [];
  let latencySum = 0;
  let irregular = 0;
  const sink = new WorkflowSink((workflow) => {
    rows.push({ arrival: workflow.intendedStartMs, end: workflow.endMs });
    latencySum += workflow.latencyMs;
    const oneCall = workflow.status === 'completed' && workflow.agentCalls === 1 && workflow.modelAttempts === 1;
    if (!oneCall || workflow.startMs !== workflow.intendedStartMs) irregular++;
  });
  await runOnce(scenarioFromYaml(mmcScenarioYaml(ratePerSecond, slots, arrivals)), { sink, seed });
  rows.sort((a, b) => a.arrival - b.arrival);
  return {
    arrivalsMs: rows.map((row) => row.arrival),
    endsMs: rows.map((row) => row.end),
    meanLatencyMs: latencySum / rows.length,
    irregular,
  };
}
