import type { Clock } from '../kernel/clock.ts';
import { SharedResource, type LimitBucket, type ResourceObserver } from './shared-resource.ts';
import type { CompiledAgent, CompiledScenario } from '../scenario/types.ts';
import { TokenBucket } from './token-bucket.ts';

/** Where a run's shared resources report their queues (the run's metrics, harness/run/run-metrics.ts). */
export interface ResourceObservers {
  resource(name: string): ResourceObserver;
}

/** The shared resources of a run: provider rate limits and agent concurrency pools. */
export class RunResources {
  readonly #pools = new Map<string, SharedResource>();
  readonly #limits = new Map<string, SharedResource>();

  constructor(scenario: CompiledScenario, clock: Clock, metrics: ResourceObservers) {
    for (const agent of scenario.agents.values()) {
      if (agent.pool !== null) {
        const name = `pool:${agent.name}`;
        const limits = { buckets: [], slots: agent.pool.slots, onLimit: agent.pool.onFull, maxQueue: agent.pool.maxQueue };
        this.#pools.set(agent.name, new SharedResource(name, clock, limits, metrics.resource(name)));
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

  /** The rate limit of the agent's provider and model, or null. */
  rateLimit(agent: CompiledAgent): SharedResource | null {
    return agent.model.rateLimits === null ? null : (this.#limits.get(RunResources.rateLimitKey(agent)) ?? null);
  }

  /** True when the run has any shared resource (the admission stage is skipped otherwise). */
  get any(): boolean {
    return this.#pools.size > 0 || this.#limits.size > 0;
  }
}
