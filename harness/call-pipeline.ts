import type { Agent } from './call.ts';
import { HarnessError } from './errors.ts';
import { accountingInterceptor } from './interceptors/accounting.ts';
import { admissionInterceptor } from './interceptors/admission.ts';
import { breakerInterceptor } from './interceptors/breaker.ts';
import { budgetInterceptor } from './interceptors/budget.ts';
import { contractInterceptor } from './interceptors/contract.ts';
import { agentSpanInterceptor } from './interceptors/agent-span.ts';
import { attemptSpanInterceptor } from './interceptors/attempt-span.ts';
import { retryInterceptor } from './interceptors/retry.ts';
import { timeoutInterceptor } from './interceptors/timeout.ts';
import { composePipeline, type Interceptor, type Terminal } from './pipeline.ts';
import type { CompiledScenario } from './scenario-types.ts';

/**
 * The interceptors every pattern's calls go through, outermost first (DESIGN.md, data flow):
 *
 *   invoke_agent span → [audit → rbac → pii-mask → sanitise] → budget → circuit breaker (fallback)
 *   → retry → chat span → contract → accounting → timeout → admission (concurrency pool, rate limit)
 *   → agent
 *
 * Bracketed stages belong to later capabilities and slot in at their place in this list.
 */
export function standardInterceptors(scenario: CompiledScenario): Interceptor[] {
  return [
    agentSpanInterceptor(),
    budgetInterceptor(),
    breakerInterceptor(scenario),
    retryInterceptor(),
    attemptSpanInterceptor(),
    contractInterceptor(),
    accountingInterceptor(),
    timeoutInterceptor(),
    admissionInterceptor(),
  ];
}

/** The pipeline of a run: the interceptors around a dispatch to the named agent. */
export function buildPipeline(scenario: CompiledScenario, agents: ReadonlyMap<string, Agent>, interceptors: readonly Interceptor[] = standardInterceptors(scenario)): Terminal {
  return composePipeline(interceptors, (call) => {
    const agent = agents.get(call.agent.name);
    if (agent === undefined) throw new HarnessError('AGENT_UNKNOWN', `no agent implementation for '${call.agent.name}'`);
    return agent.invoke(call);
  });
}
