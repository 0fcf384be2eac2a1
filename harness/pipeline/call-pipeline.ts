import type { Agent } from './call.ts';
import { HarnessError } from '../kernel/errors.ts';
import { accountingInterceptor } from './interceptors/accounting.ts';
import { admissionInterceptor } from './interceptors/admission.ts';
import { breakerInterceptor } from './interceptors/breaker.ts';
import { budgetInterceptor } from './interceptors/budget.ts';
import { contractInterceptor } from './interceptors/contract.ts';
import { agentSpanInterceptor } from './interceptors/agent-span.ts';
import { auditInterceptor } from './interceptors/audit.ts';
import { piiMaskInterceptor } from './interceptors/pii-mask.ts';
import { sanitiseInterceptor } from './interceptors/sanitise.ts';
import { plantsInjections } from '../governance/trust.ts';
import { attemptSpanInterceptor } from './interceptors/attempt-span.ts';
import { retryInterceptor } from './interceptors/retry.ts';
import { timeoutInterceptor } from './interceptors/timeout.ts';
import { composePipeline, type Interceptor, type Terminal } from './pipeline.ts';
import type { CompiledScenario } from '../scenario/types.ts';

/** What the stages of a run depend on besides its scenario. */
export interface StandardInterceptorOptions {
  /** The pattern puts hard limits of its own on each workflow (`PatternDefinition.limits`): keep the budget stage. Default false. */
  readonly budgets?: boolean;
}

/**
 * The interceptors every pattern's calls go through, outermost first (DESIGN.md, data flow):
 *
 *   invoke_agent span → audit → pii-mask → sanitise → budget → circuit breaker (fallback)
 *   → retry → chat span → contract → accounting → timeout → admission (concurrency pool, rate limit)
 *   → agent
 *
 * Tool RBAC is checked where each tool call is made (harness/governance/rbac.ts). A stage the scenario
 * cannot use is left out.
 */
export function standardInterceptors(scenario: CompiledScenario, options: StandardInterceptorOptions = {}): Interceptor[] {
  // Stages a scenario cannot use are left out: each is an async frame per call (a call in flight
  // holds one per stage), so a pass-through stage costs time and memory for nothing.
  const agents = [...scenario.agents.values()];
  const uses = (stage: boolean, interceptor: () => Interceptor): Interceptor[] => (stage ? [interceptor()] : []);
  return [
    agentSpanInterceptor(),
    ...uses(scenario.audit, auditInterceptor),
    ...uses(scenario.privacy !== null, piiMaskInterceptor),
    // rbac is checked per tool call (harness/agents/tool-calls.ts); the trust boundary runs when cases can carry injections.
    ...uses(plantsInjections(scenario), sanitiseInterceptor),
    ...uses(scenario.budgets !== null || options.budgets === true, budgetInterceptor),
    ...uses(agents.some((agent) => agent.breaker !== null || agent.fallback !== null), () => breakerInterceptor(scenario)),
    retryInterceptor(),
    attemptSpanInterceptor(),
    ...uses(agents.some((agent) => agent.contract !== null), contractInterceptor),
    accountingInterceptor(),
    timeoutInterceptor(),
    ...uses(agents.some((agent) => agent.pool !== null || agent.model.rateLimits !== null), admissionInterceptor),
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
