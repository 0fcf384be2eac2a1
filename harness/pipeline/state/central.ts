import { compileSampler, type Sampler } from '../../kernel/distributions.ts';
import type { ResourceObserver } from '../shared-resource.ts';
import type { AgentCall, AttemptResult } from '../call.ts';
import type { StageEntry } from '../pipeline.ts';
import type { CompiledState } from '../../scenario/schema/state.ts';
import { FifoServer } from './fifo-server.ts';
import { addStateFact, transfer, type StateChannel } from './state-channel.ts';

/** Name of the serialiser's queue series (`queue_series.resource`) and wait histogram scope. */
export const SERIALISER_RESOURCE = 'state:serialiser';

/**
 * `state: central`: the orchestrator serialises each agent call's state on the way in (the tokens
 * the pattern passes, `input.tokens`) and its result on the way out (`output.tokens`), through one
 * serialiser per run — a single FIFO server taking `overheadMsPerKb` × KB per transfer. At low load
 * a transfer costs its service time; as arrivals approach 1 ÷ service the queue grows (D/D/1,
 * M/D/1): the orchestrator becomes the bottleneck. Facts per workflow: `state.serialise_ms`
 * (service) and `state.queue_ms` (waits).
 */
export class CentralState implements StateChannel {
  readonly #overhead: Sampler;
  readonly #kbPerToken: number;
  readonly #server = new FifoServer();

  constructor(
    state: Extract<CompiledState, { strategy: 'central' }>,
    private readonly observer: ResourceObserver,
  ) {
    this.#overhead = compileSampler(state.overheadMsPerKb);
    this.#kbPerToken = state.bytesPerToken / 1024;
  }

  /** Service time given so far (ms): utilisation = busy ÷ elapsed. */
  get busyMs(): number {
    return this.#server.busyMs;
  }

  receive(call: AgentCall): StageEntry {
    return this.#serialise(call, call.input.tokens);
  }

  send(call: AgentCall, result: AttemptResult): AttemptResult | Promise<AttemptResult> {
    if (result.status !== 'ok') return result;
    return this.#serialise(call, result.output.tokens).then((cut) => (cut === null ? result : { ...cut, usage: result.usage }));
  }

  #serialise(call: AgentCall, tokens: number): Promise<AttemptResult | null> {
    const serviceMs = this.#overhead(call.workflow.streams(call.agent.name).named('state')) * tokens * this.#kbPerToken;
    const clock = call.workflow.run.clock;
    const nowMs = clock.now();
    const { waitMs } = this.#server.serve(nowMs, serviceMs);
    this.observer.admitted(nowMs, waitMs);
    this.observer.queueLength(nowMs, this.#server.inSystem(nowMs));
    addStateFact(call, 'serialise_ms', serviceMs);
    addStateFact(call, 'queue_ms', waitMs);
    return transfer(call, waitMs + serviceMs, () => this.observer.queueLength(clock.now(), this.#server.inSystem(clock.now())));
  }
}
