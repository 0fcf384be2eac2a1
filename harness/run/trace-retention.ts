/**
 * Tail trace retention: whether a workflow that has just ended keeps its trace, decided from its
 * row alone, in the order workflows end, with no clock and no `Math.random` — the same seed keeps
 * the same traces. The first reason that holds is the workflow's:
 *
 * 1. `failed`: the workflow failed (dead-lettered, timed out, refused, …).
 * 2. `budget`: a budget stopped it (`budget.termination_reason`), even if it completed.
 * 3. `named`: a threshold names it (harness/run/trace-naming.ts: its own latency, cost, tokens or
 *    retries are on the failing side of the limit).
 * 4. `slowest`: its latency is at or above the p99 of the workflows that ended before it (the run's
 *    HDR latency histogram, within its 0.1 %; the estimate refreshed after every workflow up to
 *    100, then every 100 workflows), or above the slowest of them. Decided online: it keeps every
 *    workflow slower than all before it (so the run's slowest), about the slowest 1 % of a run
 *    whose latencies do not drift, more of a run whose latencies grow (each new high is kept), and
 *    fewer of the final slowest 1 % of a run whose early workflows were its slowest.
 * 5. `sampled`: a seeded share of the rest, from a hash of (seed, scenario, workflow id): every
 *    pattern and variant of a scenario samples the same workflow ids, so their traces sit side by
 *    side, and a workflow's draw depends on nothing that ran before or beside it.
 *
 * An arrival dropped at the in-flight cap never started: it has no trace to keep (the time series
 * count it).
 */
import type { DurationHistogram } from '../kernel/hdr.ts';
import type { WorkflowRecord } from '../kernel/records.ts';
import { hashKey, mixSeed } from '../kernel/rng.ts';
import type { WorkflowNaming } from './trace-naming.ts';

/** Why a workflow kept its trace, in the order they are tried. */
export const KEEP_REASONS = ['failed', 'budget', 'named', 'slowest', 'sampled'] as const;
export type KeepReason = (typeof KEEP_REASONS)[number];

/** The quantile above which a workflow is among the slowest. */
const SLOWEST_QUANTILE = 0.99;

/** Workflows between refreshes of the p99 estimate (every workflow until there are this many). */
const REFRESH_EVERY = 100;

const TWO_POW_32 = 4_294_967_296;

/** The fact a budget records on a workflow it refused or cut (harness/pipeline/interceptors/budget.ts). */
const BUDGET_STOP = '"budget.termination_reason"';

/** Decides, workflow by workflow, which traces a run under `tail` keeps. One per run. */
export class TailRetention {
  /** Sampling seed of the run: (seed, 'traces', scenario) mixed, the workflow id added per decision. */
  readonly #sampleSeed: number;
  /** A workflow's draw below this keeps it: share × 2³². */
  readonly #sampleBelow: number;
  /** The p99 estimate in force; +∞ until a workflow has ended. */
  #slowAtMs = Number.POSITIVE_INFINITY;
  #slowestMs = Number.NEGATIVE_INFINITY;
  /** Histogram count at which the estimate is next refreshed. */
  #refreshAt = 1;

  /**
   * @param share   share of the other workflows kept, in [0, 1].
   * @param seed    the run's seed.
   * @param scenario the scenario's name: its patterns and variants sample the same workflow ids.
   * @param latency the run's workflow latency histogram, holding the workflows ended before the one decided.
   * @param namings the thresholds that name workflows (`thresholdNamings`).
   */
  constructor(
    share: number,
    seed: number,
    scenario: string,
    private readonly latency: DurationHistogram,
    private readonly namings: readonly WorkflowNaming[],
  ) {
    this.#sampleSeed = sampleSeedOf(seed, scenario);
    this.#sampleBelow = share * TWO_POW_32;
  }

  /** Why `workflow`, which has just ended, keeps its trace; null when it does not. Call once per workflow, in the order they end. */
  reason(workflow: WorkflowRecord): KeepReason | null {
    // Every workflow counts towards the slowest so far, whatever keeps it.
    const slow = this.#slow(workflow.latencyMs);
    if (workflow.status === 'failed') return 'failed';
    if (workflow.facts !== null && workflow.facts.includes(BUDGET_STOP)) return 'budget';
    for (const naming of this.namings) if (naming(workflow)) return 'named';
    if (slow) return 'slowest';
    return sampleDraw(this.#sampleSeed, workflow.workflowId) < this.#sampleBelow ? 'sampled' : null;
  }

  /** True when `latencyMs` is at or above the running p99 estimate or above the slowest so far; then counts it in the slowest so far. */
  #slow(latencyMs: number): boolean {
    const count = this.latency.count;
    if (count >= this.#refreshAt) {
      this.#slowAtMs = this.latency.quantileMs(SLOWEST_QUANTILE) ?? Number.POSITIVE_INFINITY;
      this.#refreshAt = count < REFRESH_EVERY ? count + 1 : count + REFRESH_EVERY;
    }
    const slow = latencyMs > this.#slowestMs || latencyMs >= this.#slowAtMs;
    if (latencyMs > this.#slowestMs) this.#slowestMs = latencyMs;
    return slow;
  }
}

/** The uint32 draw of workflow `workflowId` under a run's sampling seed: kept when below share × 2³². */
export function sampleDraw(sampleSeed: number, workflowId: number): number {
  return mixSeed(sampleSeed, workflowId);
}

/** The sampling seed of runs of `scenario` with `seed` (what `TailRetention` mixes each workflow id into). */
export function sampleSeedOf(seed: number, scenario: string): number {
  return mixSeed(seed, hashKey('traces'), hashKey(scenario));
}
