/**
 * How a recorded model attempt is found again: (scenario, case, repeat, agent, call index,
 * attempt). The call index counts an agent's calls in one workflow in the order they reach the
 * agent, so a run replayed under another pattern or load finds the same agent's n-th call of the
 * same case — as long as the agents are called for the same cases.
 */
import type { AgentCall, CallWorkflow } from '../pipeline/call.ts';
import type { Attributes } from '../kernel/records.ts';

/** Numbers one agent's calls within each workflow (one instance per agent and run; retries keep their call's number). */
export class AgentCallIndex {
  readonly #next = new WeakMap<CallWorkflow, number>();
  readonly #byCall = new WeakMap<AgentCall, number>();

  /** The 0-based index of `call` among this agent's calls in its workflow. */
  of(call: AgentCall): number {
    let index = this.#byCall.get(call);
    if (index === undefined) {
      index = this.#next.get(call.workflow) ?? 0;
      this.#next.set(call.workflow, index + 1);
      this.#byCall.set(call, index);
    }
    return index;
  }
}

/** The lookup key of one attempt of one scenario's run, as a string. */
export function recordingKey(caseId: string, repeat: number, agent: string, callIndex: number, attempt: number): string {
  return JSON.stringify([caseId, repeat, agent, callIndex, attempt]);
}

/**
 * Span attributes that carry a model attempt's time to first token, with the factor to
 * milliseconds: patternbench's own `patternbench.ttft_ms`, and the GenAI-style seconds attributes.
 */
const TTFT_ATTRIBUTES: readonly (readonly [string, number])[] = [
  ['patternbench.ttft_ms', 1],
  ['gen_ai.response.time_to_first_chunk', 1000],
  ['gen_ai.response.time_to_first_token', 1000],
];

/** Time to first token (ms) an attempt's span attributes report; null when none does. */
export function ttftMsOf(attributes: Attributes | undefined): number | null {
  if (attributes === undefined) return null;
  for (const [key, factor] of TTFT_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value === 'number' && value >= 0) return value * factor;
  }
  return null;
}
