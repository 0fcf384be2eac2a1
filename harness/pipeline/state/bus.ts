import { compileSampler, type Sampler } from '../../kernel/distributions.ts';
import type { ResourceObserver } from '../shared-resource.ts';
import type { AgentCall, AttemptResult } from '../call.ts';
import type { StageEntry } from '../pipeline.ts';
import type { CompiledState } from '../../scenario/schema/state.ts';
import { FifoServer } from './fifo-server.ts';
import { addStateFact, transfer, type StateChannel } from './state-channel.ts';

/** Name of the bus's consumer-lag series (`queue_series.resource`: messages published, not yet consumed). */
export const BUS_RESOURCE = 'state:bus';

/**
 * `state: bus` (Kafka / Redis Streams semantics): each agent call is two messages on a shared log —
 * its state, published by the orchestrator and consumed by the agent's role before the call, and
 * its result, published by the agent and consumed by the orchestrator after it. A message is one
 * hop: deliverable `messageLatency` after it is published, then taken by its partition's single
 * consumer, in publish order, for `consumeTime`. A workflow's messages all go to partition
 * `workflowId mod partitions`, so they are consumed in order. With no contention a hop costs
 * exactly its latency (+ consume time): a chain of n calls adds 2n hops. Consumer lag — messages
 * published and not yet consumed, all partitions — is the `state:bus` queue series; the wait behind
 * earlier messages of the partition is its wait histogram. Facts per workflow: `state.messages`,
 * `state.bus_ms` (time its messages took).
 */
export class BusState implements StateChannel {
  readonly #latency: Sampler;
  readonly #consume: Sampler;
  readonly #partitions: FifoServer[];
  /** Messages published and not yet consumed (consumer lag). */
  #lag = 0;

  constructor(
    state: Extract<CompiledState, { strategy: 'bus' }>,
    private readonly observer: ResourceObserver,
  ) {
    this.#latency = compileSampler(state.messageLatencyMs);
    this.#consume = compileSampler(state.consumeTimeMs);
    this.#partitions = Array.from({ length: state.partitions }, () => new FifoServer());
  }

  receive(call: AgentCall): StageEntry {
    return this.#hop(call);
  }

  send(call: AgentCall, result: AttemptResult): AttemptResult | Promise<AttemptResult> {
    return this.#hop(call).then((cut) => (cut === null ? result : { ...cut, usage: result.usage }));
  }

  /** Publishes one message of the call's workflow and waits until it has been consumed. */
  #hop(call: AgentCall): Promise<AttemptResult | null> {
    const rng = call.workflow.streams(call.agent.name).named('state');
    const latencyMs = this.#latency(rng);
    const consumeMs = this.#consume(rng);
    const partition = this.#partitions[call.workflow.workflowId % this.#partitions.length] as FifoServer;
    const clock = call.workflow.run.clock;
    const nowMs = clock.now();
    const { waitMs } = partition.serve(nowMs + latencyMs, consumeMs);
    this.observer.admitted(nowMs, waitMs);
    this.observer.queueLength(nowMs, ++this.#lag);
    const hopMs = latencyMs + waitMs + consumeMs;
    addStateFact(call, 'messages', 1);
    addStateFact(call, 'bus_ms', hopMs);
    return transfer(call, hopMs, () => this.observer.queueLength(clock.now(), --this.#lag));
  }
}
