/** The figures of an imported chain (`instrumented-chain.ts`) that tests hold against the provider's truth. */
import { expect } from 'vitest';
import { parse } from 'yaml';
import { join } from 'node:path';
import { USAGE, type ProviderTruth } from './fault-provider.ts';
import { chainTruth } from './chain-truth.ts';
import { CHAIN_AGENTS, runInstrumentedChain, type Emitter } from './instrumented-chain.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import { main } from '../../harness/cli/main.ts';
import { captureIo } from './capture-io.ts';
import { rowsOf } from './record-scenario.ts';

export interface ImportedChain {
  readonly workflows: number;
  readonly failedWorkflows: number;
  readonly failedSteps: Record<string, number>;
  /** Exported model attempts (`chat` spans). */
  readonly modelAttempts: number;
  readonly agentCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Failed model attempts by error kind. */
  readonly attemptErrors: Record<string, number>;
  /** Failed agent calls by error kind. */
  readonly callErrors: Record<string, number>;
  readonly costUsd: number;
}

/** Reads `db`, a results file `import` wrote from a chain's traces. */
export function importedChain(db: string): ImportedChain {
  const totals = rowsOf(db, `SELECT count(*) AS workflows, sum(status = 'failed') AS failed, sum(model_attempts) AS attempts, sum(agent_calls) AS calls,
    sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cost_usd) AS cost FROM workflows`)[0] as Record<string, number>;
  const counted = (sql: string): Record<string, number> => Object.fromEntries(rowsOf(db, sql).map((row) => [String(row['k']), row['n'] as number]));
  return {
    workflows: totals['workflows'] as number,
    failedWorkflows: totals['failed'] as number,
    failedSteps: counted("SELECT failed_step AS k, count(*) AS n FROM workflows WHERE status = 'failed' GROUP BY 1"),
    modelAttempts: totals['attempts'] as number,
    agentCalls: totals['calls'] as number,
    inputTokens: totals['input'] as number,
    outputTokens: totals['output'] as number,
    attemptErrors: counted("SELECT error_type AS k, count(*) AS n FROM spans WHERE operation = 'chat' AND status = 'error' GROUP BY 1"),
    callErrors: counted("SELECT coalesce(error_type, 'error') AS k, count(*) AS n FROM spans WHERE operation = 'invoke_agent' AND status = 'error' GROUP BY 1"),
    costUsd: totals['cost'] as number,
  };
}

/** One agent's profile as `calibrate` fitted it. */
export interface CalibratedAgent {
  readonly latency: { readonly dist: string; readonly p50: number; readonly p95: number };
  readonly faults: { readonly error: number; readonly timeout: number; readonly rateLimit: number };
  readonly attempts: number;
}

/** `calibrate <source>`: its profiles by agent, and what it printed on stderr. */
export async function calibrated(source: string): Promise<{ agents: Record<string, CalibratedAgent>; notes: string }> {
  const io = captureIo();
  const code = await main(['calibrate', source], io);
  if (code !== 0) throw new Error(`calibrate exited ${code}: ${io.stderr.join('\n')}`);
  const yaml = parse(io.stdout.join('\n')) as { agents: Record<string, Omit<CalibratedAgent, 'attempts'>>; calibration: Record<string, { attempts: number }> };
  const agents = Object.fromEntries(Object.entries(yaml.agents).map(([agent, profile]) => [agent, { ...profile, attempts: yaml.calibration[agent]?.attempts ?? 0 }]));
  return { agents, notes: io.stderr.join('\n') };
}

/**
 * Holds a fitted agent to the provider's truth: attempts and fault rates exact; the latency
 * percentiles no shorter than the provider waited (a span cannot be, but for timer slack) and no
 * longer than the application saw its calls take (`observedMs`: the span lies inside the call),
 * which on an idle machine is a few milliseconds more and on a loaded one whatever the load adds.
 */
export function expectFitToTruth(fitted: CalibratedAgent | undefined, truth: ProviderTruth | undefined, observedMs: readonly number[] | undefined): void {
  if (fitted === undefined || truth === undefined || observedMs === undefined) throw new Error('no such agent');
  const rate = (count: number): number => Number((count / truth.attempts).toFixed(6));
  expect(fitted.attempts).toBe(truth.attempts);
  expect(fitted.faults).toEqual({ error: rate(truth.byFate.error), timeout: rate(truth.byFate.timeout), rateLimit: rate(truth.byFate.rate_limit) });
  const observed = [...observedMs].sort((a, b) => a - b);
  const at = (q: number): number => observed[nearestRankIndex(observed.length, q)] as number;
  // The fit prints six significant digits; a Node timer may fire up to a millisecond before its
  // delay has passed by the high-resolution clock spans use (libuv counts from the loop's cached time).
  const ROUNDING = 0.01;
  const TIMER_SLACK = 1;
  expect(fitted.latency.p50).toBeGreaterThanOrEqual(truth.p50Ms - TIMER_SLACK);
  expect(fitted.latency.p50).toBeLessThanOrEqual(at(0.5) + ROUNDING);
  expect(fitted.latency.p95).toBeGreaterThanOrEqual(truth.p95Ms - TIMER_SLACK);
  expect(fitted.latency.p95).toBeLessThanOrEqual(at(0.95) + ROUNDING);
}

/**
 * The claim every emitter that never exports a failed attempt's span is held to (Traceloop,
 * OpenInference, the Agents SDK through OpenInference): 100 workflows of the chain without client
 * retries, imported, count workflows, attempts, agent calls, tokens and errors by kind as the
 * provider served them (the failed attempts on their agent calls), and calibrate to the provider's
 * rates and latencies, saying how many failed calls it counted. Returns the trace file and the fit.
 */
export async function expectImportWithUnexportedFailures(emitter: Emitter, folder: string): Promise<{ traces: string; agents: Record<string, CalibratedAgent> }> {
  const truth = chainTruth(100, 0);
  const traces = join(folder, 'traces.jsonl');
  const run = await runInstrumentedChain({ emitter, workflows: 100, maxRetries: 0, traces });
  expect(run.served).toEqual(truth.all.byFate);
  const db = join(folder, 'imported.db');
  expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

  const { ok, error, rate_limit: rateLimit, timeout } = truth.all.byFate;
  expect(importedChain(db)).toMatchObject({
    workflows: 100,
    failedWorkflows: truth.failedWorkflows,
    failedSteps: truth.failedSteps,
    modelAttempts: ok,
    agentCalls: 300,
    inputTokens: ok * USAGE.prompt,
    outputTokens: ok * USAGE.completion,
    attemptErrors: {},
    callErrors: { error, rate_limit: rateLimit, timeout },
  });

  const { agents, notes } = await calibrated(db);
  expect(Object.keys(agents).sort()).toEqual([...CHAIN_AGENTS].sort());
  for (const agent of CHAIN_AGENTS) expectFitToTruth(agents[agent], truth.byAgent[agent], run.observedMs[agent]);
  expect(notes).toContain(`${error + rateLimit + timeout} failed agent calls`);
  return { traces, agents };
}
