import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import { CircuitBreaker, type BreakerTransition } from '../circuit-breaker.ts';
import type { Stage } from '../pipeline.ts';
import type { CompiledScenario, Fallback } from '../../scenario/types.ts';

/** Error types that say nothing about the agent's health: they neither trip nor reset a breaker. */
const NEUTRAL = new Set(['cancelled', 'budget_exceeded', 'workflow_timeout', 'tool_denied']);

/**
 * Circuit breakers and fallbacks. An agent with a `breaker` gets one per run; while it is open, its
 * calls go to the agent's `fallback` (another agent, called through the whole pipeline, or a
 * degraded result made without a model call) without touching the agent, or fail at once as
 * `circuit_open` when it has none. A call that fails for good also falls back when the fallback
 * says `onFailure`. Every transition is an `events` row and a span event (`breaker.open`,
 * `breaker.half_open`, `breaker.closed`) on the call that caused it.
 */
export function breakerStage(scenario: CompiledScenario): Stage {
  return {
    name: 'breaker',
    enter(call: AgentCall): AttemptResult | Promise<AttemptResult> | null {
      const agent = call.agent;
      if (agent.breaker === null && agent.fallback === null) return null;
      const breaker = breakerOf(call);
      call.breakerDecision = 'call';
      if (breaker !== null) {
        const admission = breaker.admit(call.workflow.run.clock.now());
        recordTransition(call, admission.transition);
        call.breakerDecision = admission.decision;
      }
      if (call.breakerDecision !== 'reject') return null;
      call.span?.setAttribute('patternbench.breaker.rejected', true);
      return agent.fallback === null
        ? { status: 'error', errorType: 'circuit_open', message: `${agent.name}'s circuit breaker is open`, usage: NO_USAGE, retryAfterMs: null }
        : fallBack(call, agent.fallback, scenario);
    },
    exit(call: AgentCall, result: AttemptResult): AttemptResult | Promise<AttemptResult> {
      const decision = call.breakerDecision;
      // Not entered for this call (no breaker, no fallback), or rejected (left with the fallback's result).
      if (decision === null || decision === 'reject') return result;
      const agent = call.agent;
      const breaker = breakerOf(call);
      if (breaker !== null && !(result.status === 'error' && NEUTRAL.has(result.errorType))) {
        recordTransition(call, breaker.record(result.status === 'ok', decision, call.workflow.run.clock.now()));
      }
      if (result.status === 'error' && agent.fallback?.onFailure === true && !NEUTRAL.has(result.errorType)) {
        return fallBack(call, agent.fallback, scenario);
      }
      return result;
    },
  };
}

/** The run's breaker of `call`'s agent (created on first use); null when the agent has none. */
function breakerOf(call: AgentCall): CircuitBreaker | null {
  const policy = call.agent.breaker;
  return policy === null ? null : call.workflow.run.breakers.get(call.agent.name, () => new CircuitBreaker(policy));
}

/** Records a breaker's `transition` (none: null) as an `events` row and a span event of `call`. */
function recordTransition(call: AgentCall, transition: BreakerTransition | null): void {
  if (transition === null) return;
  const run = call.workflow.run;
  const detail = { 'patternbench.breaker.from': transition.from, 'patternbench.breaker.failures': transition.failures };
  run.events.emit(`breaker.${transition.to}`, call.agent.name, run.clock.now(), detail, call.span);
}

/** The fallback's answer to `call`. */
async function fallBack(call: AgentCall, fallback: Fallback, scenario: CompiledScenario): Promise<AttemptResult> {
  if (fallback.kind === 'result') {
    call.span?.setAttribute('patternbench.fallback', 'degraded');
    const output = {
      agent: call.agent.name,
      tokens: 0,
      degraded: true,
      ...(fallback.label !== undefined && { label: fallback.label }),
      ...(fallback.value !== undefined && { value: fallback.value }),
      ...(fallback.findings !== undefined && { findings: fallback.findings }),
    };
    return { status: 'ok', output, usage: NO_USAGE };
  }
  call.span?.setAttribute('patternbench.fallback', fallback.agent);
  const target = scenario.agents.get(fallback.agent);
  if (target === undefined) {
    return { status: 'error', errorType: 'error', message: `fallback agent '${fallback.agent}' is not defined`, usage: NO_USAGE, retryAfterMs: null };
  }
  const outcome = await call.workflow.callAgent(target, call.input, call);
  return outcome.status === 'ok'
    ? { status: 'ok', output: outcome.output, usage: NO_USAGE }
    : { status: 'error', errorType: outcome.errorType, message: `fallback ${fallback.agent}: ${outcome.message}`, usage: NO_USAGE, retryAfterMs: null };
}
