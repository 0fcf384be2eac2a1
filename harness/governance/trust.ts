import type { AgentCall } from '../pipeline/call.ts';
import { deriveRng, type NamedStreams, type SeededRng } from '../kernel/rng.ts';
import type { CaseSpec, CompiledScenario } from '../scenario/types.ts';
import type { AgentOutput } from '../../patterns/types.ts';

/**
 * Trust boundaries against prompt-injection propagation (issue 7), the simulation side: which
 * cases carry a planted injection, and how a simulated agent that reads one carries it forward.
 * Where an injection reaches, and the sanitiser, live in harness/pipeline/interceptors/sanitise.ts.
 */

/** The case input field that marks a planted injected instruction (`input.injection: true`). */
export const INJECTION_FIELD = 'injection';

/** Whether the case carries a planted injected instruction. */
export function caseInjected(caseSpec: CaseSpec): boolean {
  return caseSpec.input[INJECTION_FIELD] === true;
}

/**
 * Generated cases with `cases.generate.injections: rate`: each case independently gets
 * `input.injection: true` with that probability, drawn from the scenario's own `injections` stream
 * (so the cases' other draws do not move). Returns `cases` itself when the rate is 0.
 */
export function plantInjections(scenario: CompiledScenario, cases: CaseSpec[]): CaseSpec[] {
  const rate = scenario.cases.kind === 'generate' ? scenario.cases.injections : 0;
  if (rate === 0) return cases;
  const rng = deriveRng(scenario.seed, 'injections', scenario.name);
  return cases.map((item) => (rng.next() < rate ? { ...item, input: { ...item.input, [INJECTION_FIELD]: true } } : item));
}

/**
 * The output of a call whose input carried an injection past the sanitiser (`call.injected`): it
 * carries the injection forward (`injected: true`) with the agent's `injectionCarry`, one draw of
 * the agent's `injection` stream. Any other output is returned as is.
 */
export function carryInjection(call: AgentCall, output: AgentOutput, streams: NamedStreams): AgentOutput {
  if (!call.injected || output.malformed === true) return output;
  return streams.named('injection').next() < call.agent.access.injectionCarry ? { ...output, injected: true } : output;
}

/** Workflow facts and span attributes of the trust boundary. */
export const TRUST_FACTS = {
  /** Workflow fact: elevated agent calls an injection reached (after sanitisation). */
  reached: 'patternbench.security.injection_reached',
  /** Workflow fact: injections the sanitiser stripped. */
  sanitised: 'patternbench.security.injection_sanitised',
  /** Workflow fact: privileged tool calls an injection caused. */
  privileged: 'patternbench.security.privileged_calls',
  /** `execute_tool` span attribute: the call was caused by an injection. */
  caused: 'patternbench.injection.caused',
  /** `invoke_agent` span attribute: what the call read carried an injection. */
  received: 'patternbench.injection.received',
} as const;

/** Adds `by` to the workflow's numeric fact `key` (created at 0). */
export function countFact(call: AgentCall, key: string, by = 1): void {
  const workflow = call.workflow;
  const current = workflow.root.attributes[key];
  workflow.record(key, (typeof current === 'number' ? current : 0) + by);
}

/** Whether any case of `scenario` can carry an injection (an inline case with one, or a generator's rate above 0). */
export function plantsInjections(scenario: CompiledScenario): boolean {
  const cases = scenario.cases;
  return cases.kind === 'generate' ? cases.injections > 0 : cases.items.some(caseInjected);
}
