import type { AgentCall } from '../../pipeline/call.ts';
import type { AgentOutput } from '../../../patterns/types.ts';

/** One side effect: a successful call of an agent that declares a `compensation:`. */
export interface SideEffect {
  /** The agent that did it. */
  readonly agent: string;
  /** The agent that undoes it. */
  readonly compensator: string;
  /** The call's `invoke_agent` span (for a fallback, that of the call it stood in for); '' when replayed from a checkpoint. */
  readonly spanId: string;
  /** What the call was handed, in short: tokens passed in and the number of upstream outputs. */
  readonly input: { readonly tokens: number; readonly upstream: number };
  /** What the call produced: the side effect's receipt, handed to the compensating agent. */
  readonly output: AgentOutput;
  /** When the call ended (virtual ms). */
  readonly timeMs: number;
}

/**
 * The side effect done by `call` (ended ok with `output`), or null when none was: the agent that
 * produced the output (the one called, or the fallback agent that stood in for it) declares no
 * compensation, or the output is a degraded fallback result made without any agent.
 */
export function sideEffectOf(call: AgentCall, output: AgentOutput, timeMs: number): SideEffect | null {
  const agent = output.agent === call.agent.name ? call.agent : call.workflow.scenario.agents.get(output.agent);
  const compensation = agent?.compensation ?? null;
  if (compensation === null || output.degraded === true) return null;
  return {
    agent: output.agent,
    compensator: compensation.agent,
    spanId: call.span?.spanId ?? '',
    input: { tokens: call.input.tokens, upstream: call.input.upstream.length },
    output,
    timeMs,
  };
}
