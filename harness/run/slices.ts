/**
 * Slicing one large run by workflow, so that `run --workers` spreads it over every core: a run whose
 * workflows share nothing is cut into a fixed number of slices, slice i running the workflows with
 * workflow_id % K = i − 1 (`RunSpec.slice`), each on the arrivals and cases of the whole run, so
 * every workflow gets the arrival time, case and random streams (keyed by seed, run and workflow
 * id) the unsliced run gives it. The slices are joined exactly afterwards (harness/run/slice-join.ts).
 *
 * K depends on the run alone (its expected workflows), never on the number of workers: the joined
 * rows are the same whatever the worker count. Under `--traces tail` each slice decides which
 * traces it keeps (harness/run/trace-retention.ts), its "slowest" rule reading the latencies of its
 * own workflows ended so far: the same seed keeps the same traces for any number of workers, though
 * not quite the traces the unsliced run would keep. The joined figures are the unsliced run's, but
 * for sums of fractions (cost, summed durations, means) whose last digits follow the order of addition.
 *
 * What workflows of one run can share, and where it lives: the in-flight cap or the closed loop of
 * the load (load-drivers.ts), agent pools, provider rate limits and batchers (pipeline/run-resources.ts),
 * circuit breakers and their fallbacks (`RunContext.breakers`), the run budget
 * (pipeline/budget.ts), the hash-chained audit trail (governance/audit.ts), the masking key of
 * PII tokens (governance/pii.ts: one random key per run), and state an executor keeps between
 * workflows (the router's routing cache; a pattern this file does not know is assumed to keep
 * some). Budgets per workflow, fault schedules, dead letters and events (renumbered at the join)
 * are not shared. Real (HTTP) agents are never sliced: their run is one conversation with a server.
 */
import { ArrivalSchedule } from './arrivals.ts';
import type { RunSpec } from './runner.ts';
import type { PatternName } from '../scenario/types.ts';
import { usesStateChannel } from '../pipeline/state/state-stage.ts';

/** Fewest expected workflows per slice: a run smaller than two of them runs whole. */
export const SLICE_WORKFLOWS = 20_000;

/** Most slices of one run (a machine with more cores runs other cells beside them). */
export const MAX_SLICES = 16;

/** Patterns whose executors keep nothing between workflows, given the configuration `keepsState` reads. */
const STATELESS_PATTERNS: ReadonlySet<PatternName> = new Set(['sequential', 'fanout', 'router', 'supervisor', 'single-agent']);

/** What the executor of `pattern` with `config` keeps between workflows; null when nothing. */
function keepsState(pattern: PatternName, config: unknown): string | null {
  if (!STATELESS_PATTERNS.has(pattern)) return `pattern ${pattern} may keep state between workflows`;
  if (pattern === 'router' && typeof config === 'object' && config !== null && (config as { cache?: unknown }).cache !== undefined) return 'the routing cache';
  return null;
}

/** What the workflows of `spec` share, in words; null when they share nothing (the run can be sliced). */
export function sharedByWorkflows(spec: RunSpec): string | null {
  const { scenario, load } = spec;
  if (load.kind !== 'open') return 'a closed load (a workflow starts when another ends)';
  if (load.maxInFlight !== null) return 'the in-flight cap';
  if (spec.replay !== undefined) return 'a dead-letter replay';
  for (const agent of scenario.agents.values()) {
    if (agent.endpoint !== null) return `real agent ${agent.name}`;
    if (agent.pool !== null) return `the pool of agent ${agent.name}`;
    if (agent.model.rateLimits !== null) return `the rate limit of ${agent.model.provider}/${agent.model.model}`;
    if (agent.breaker !== null || agent.fallback !== null) return `the circuit breaker of agent ${agent.name}`;
    if (agent.batch !== undefined) return `the batcher of agent ${agent.name}`;
  }
  if (scenario.budgets?.run != null) return 'the run budget';
  if (scenario.audit) return 'the audit chain';
  if (scenario.privacy !== null) return 'the masking key';
  if (usesStateChannel(scenario) && scenario.state?.strategy !== 'retrieval') return `the ${scenario.state?.strategy} state channel`;
  return keepsState(spec.pattern, scenario.patterns.get(spec.pattern));
}

/**
 * Slices to cut `spec` into: ⌊expected workflows ÷ `perSlice`⌋, at most `MAX_SLICES`; 1 (run
 * whole) when its workflows share something or it is smaller than two slices.
 *
 * @param perSlice fewest expected workflows per slice; default `SLICE_WORKFLOWS` (tests pass fewer).
 */
export function sliceCount(spec: RunSpec, perSlice: number = SLICE_WORKFLOWS): number {
  if (spec.load.kind !== 'open' || sharedByWorkflows(spec) !== null) return 1;
  const expected = ArrivalSchedule.expectedArrivals(spec.load.phases);
  return Math.max(1, Math.min(MAX_SLICES, Math.floor(expected / perSlice)));
}
