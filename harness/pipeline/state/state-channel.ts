import type { AgentCall, AttemptResult } from '../call.ts';
import type { StageEntry } from '../pipeline.ts';

/**
 * How agent calls receive state and hand their results back under one `state:` strategy (one per
 * run, `RunResources.state`): `receive` before the call's first attempt (null to go on, a result to
 * end the call: it was cancelled while its state was on the way), `send` with its final result.
 */
export interface StateChannel {
  receive(call: AgentCall): StageEntry;
  send(call: AgentCall, result: AttemptResult): AttemptResult | Promise<AttemptResult>;
}

/** Root-span attribute (workflow fact `state.<name>`) under which state transfer figures add up. */
export function addStateFact(call: AgentCall, name: string, amount: number): void {
  const key = `patternbench.state.${name}`;
  const previous = call.workflow.root.attributes[key];
  call.workflow.record(key, (typeof previous === 'number' ? previous : 0) + amount);
}

/** Waits `ms` for the call's state; resolves null when it arrived, `cancelled` when the call was cut first. */
export function transfer(call: AgentCall, ms: number, done?: () => void): Promise<AttemptResult | null> {
  return call.workflow.run.clock.sleep(ms, call.input.cancel).then((elapsed) => {
    done?.();
    return elapsed ? null : CANCELLED;
  });
}

const CANCELLED: AttemptResult = Object.freeze({
  status: 'error',
  errorType: 'cancelled',
  message: 'cancelled while its state was in transfer',
  usage: Object.freeze({ inputTokens: 0, outputTokens: 0, cachedTokens: 0 }),
  retryAfterMs: null,
});
