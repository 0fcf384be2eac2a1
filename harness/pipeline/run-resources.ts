import type { Clock } from '../kernel/clock.ts';
import { SharedResource, type LimitBucket, type ResourceObserver } from './shared-resource.ts';
import type { CompiledAgent, CompiledScenario } from '../scenario/types.ts';
import { TokenBucket } from './token-bucket.ts';
import { createAutoscaledPool, type AutoscaledPool, type AutoscaleRun } from './autoscale/autoscaled-pool.ts';
import { Batcher } from './batching/batcher.ts';

/** Where a run's shared resources report their queues (the run's metrics, harness/run/run-metrics.ts). */
export interface ResourceObservers {
  resource(name: string): ResourceObserver;
}

/** The shared resources of a run: provider rate limits and agent concurrency pools. */
export class RunResources {
  readonly #pools = new Map<string, SharedResource>();
  readonly #limits = new Map<string, SharedResource>();
  /** Autoscaled pools by agent name (their resources are in `#pools` too). */
  readonly #autoscaled = new Map<string, AutoscaledPool>();
  /** Batchers of the agents with `batch:`, by agent name (shared by every workflow of the run). */
  readonly #batchers = new Map<string, Batcher>();

  /** `run`: what autoscaled pools need of the run (harness/pipeline/autoscale/); without it an autoscaled pool stays at its initial slots. */
  constructor(scenario: CompiledScenario, clock: Clock, metrics: ResourceObservers, run?: Omit<AutoscaleRun, 'clock'>) {
    for (const agent of scenario.agents.values()) {
      if (agent.batch !== undefined) this.#batchers.set(agent.name, new Batcher(agent.name, agent.batch, clock));
      if (agent.pool !== null) {
        const name = `pool:${agent.name}`;
        const limits = { buckets: [], slots: agent.pool.slots, onLimit: agent.pool.onFull, maxQueue: agent.pool.maxQueue };
        const autoscale = agent.pool.autoscale;
        if (autoscale !== undefined && run !== undefined) {
          const pool = createAutoscaledPool(agent.name, autoscale, name, limits, metrics.resource(name), { clock, ...run });
          this.#autoscaled.set(agent.name, pool);
          this.#pools.set(agent.name, pool.resource);
        } else this.#pools.set(agent.name, new SharedResource(name, clock, limits, metrics.resource(name)));
      }
      const rate = agent.model.rateLimits;
      const key = RunResources.rateLimitKey(agent);
      if (rate === null || this.#limits.has(key)) continue;
      const buckets: LimitBucket[] = [];
      if (rate.requestsPerMinute !== null) buckets.push({ bucket: TokenBucket.perMinute(rate.requestsPerMinute, rate.burst, 0), counts: 'requests' });
      if (rate.tokensPerMinute !== null) buckets.push({ bucket: TokenBucket.perMinute(rate.tokensPerMinute, rate.burst, 0), counts: 'tokens' });
      const name = `rate:${key}`;
      this.#limits.set(key, new SharedResource(name, clock, { buckets, slots: null, onLimit: rate.onLimit, maxQueue: rate.maxQueue }, metrics.resource(name)));
    }
  }

  /** Agents on the same provider and model share one rate limit. */
  static rateLimitKey(agent: CompiledAgent): string {
    return `${agent.model.provider}/${agent.model.model}`;
  }

  /** The agent's concurrency pool, or null. */
  pool(agent: CompiledAgent): SharedResource | null {
    return this.#pools.get(agent.name) ?? null;
  }

  /** The agent's autoscaled pool, or null (a map look-up only in a run that has one). */
  autoscaled(agent: CompiledAgent): AutoscaledPool | null {
    return this.#autoscaled.size === 0 ? null : (this.#autoscaled.get(agent.name) ?? null);
  }

  /** Ends the autoscaled pools with the run at `nowMs`: their timers stopped, their figures recorded. */
  stop(nowMs: number): void {
    for (const pool of this.#autoscaled.values()) pool.stop(nowMs);
  }

  /** The rate limit of the agent's provider and model, or null. */
  rateLimit(agent: CompiledAgent): SharedResource | null {
    return agent.model.rateLimits === null ? null : (this.#limits.get(RunResources.rateLimitKey(agent)) ?? null);
  }

  /** The batcher of an agent with `batch:` (harness/pipeline/batching/), or null. */
  batcher(agent: CompiledAgent): Batcher | null {
    return this.#batchers.get(agent.name) ?? null;
  }

  /** True when the run has any shared resource (the admission stage is skipped otherwise). */
  get any(): boolean {
    return this.#pools.size > 0 || this.#limits.size > 0;
  }
}
