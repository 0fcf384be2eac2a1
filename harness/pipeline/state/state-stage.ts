import { HarnessError } from '../../kernel/errors.ts';
import type { Stage } from '../pipeline.ts';
import type { ResourceObserver } from '../shared-resource.ts';
import type { CompiledScenario } from '../../scenario/types.ts';
import type { CompiledState } from '../../scenario/schema/state.ts';
import { BUS_RESOURCE, BusState } from './bus.ts';
import { CentralState, SERIALISER_RESOURCE } from './central.ts';
import { RetrievalState } from './retrieval.ts';
import type { StateChannel } from './state-channel.ts';

/**
 * True when the scenario's `state:` changes anything: a bus, retrieval, or a central serialiser
 * with an overhead. `state: central` with none (and no `state:`) is today's orchestrator passing
 * state for free: no stage, no channel, no draws — rows as before.
 */
export function usesStateChannel(scenario: CompiledScenario): boolean {
  const state = scenario.state;
  if (state === undefined) return false;
  return state.strategy !== 'central' || !(state.overheadMsPerKb.kind === 'fixed' && state.overheadMsPerKb.value === 0);
}

/** Where a channel's queues report: the run's metrics (`ResourceObservers` of ../run-resources.ts). */
export interface StateObservers {
  resource(name: string): ResourceObserver;
}

/** Observers that keep nothing (a pipeline built without the run's metrics). */
export const NO_OBSERVERS: StateObservers = Object.freeze({
  resource: (): ResourceObserver => IGNORED,
});

const IGNORED: ResourceObserver = Object.freeze({ queueLength: () => undefined, admitted: () => undefined, rejected: () => undefined });

/** The run's channel for `state` (its queues report to `observers`); one per run. */
export function createStateChannel(state: CompiledState, observers: StateObservers): StateChannel {
  switch (state.strategy) {
    case 'central':
      return new CentralState(state, observers.resource(SERIALISER_RESOURCE));
    case 'bus':
      return new BusState(state, observers.resource(BUS_RESOURCE));
    case 'retrieval':
      return new RetrievalState(state);
  }
}

/**
 * The state stage: an agent call receives its state (`enter`, before its first attempt) and hands
 * its final result back (`exit`) through the run's `channel`. It runs once per agent call, inside
 * the `invoke_agent` span (the transfer is part of the call's latency) and after the budget and
 * breaker stages (a refused call moves no state). Left out when `usesStateChannel` is false.
 */
export function stateStage(channel: StateChannel): Stage {
  return {
    name: 'state',
    enter: (call) => channel.receive(call),
    exit: (call, result) => channel.send(call, result),
  };
}
