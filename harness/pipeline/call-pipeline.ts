import type { Agent } from './call.ts';
import { HarnessError } from '../kernel/errors.ts';
import { accountingStage } from './interceptors/accounting.ts';
import { admissionStage } from './interceptors/admission.ts';
import { breakerStage } from './interceptors/breaker.ts';
import { budgetStage } from './interceptors/budget.ts';
import { contractStage } from './interceptors/contract.ts';
import { agentSpanStage } from './interceptors/agent-span.ts';
import { auditStage } from './interceptors/audit.ts';
import { piiMaskStage } from './interceptors/pii-mask.ts';
import { sanitiseStage } from './interceptors/sanitise.ts';
import { plantsInjections } from '../governance/trust.ts';
import { attemptSpanStage } from './interceptors/attempt-span.ts';
import { retryStage } from './interceptors/retry.ts';
import { timeoutStage } from './interceptors/timeout.ts';
import { preemptionStage } from './autoscale/preemption-stage.ts';
import { createStateChannel, NO_OBSERVERS, stateStage, usesStateChannel } from './state/state-stage.ts';
import type { ResourceObservers } from './run-resources.ts';
import type { CompiledState } from '../scenario/schema/state.ts';
import { composePipeline, type Stage, type Terminal } from './pipeline.ts';
import type { CompiledScenario } from '../scenario/types.ts';

/** What the stages of a run depend on besides its scenario. */
export interface StandardInterceptorOptions {
  /** The pattern puts hard limits of its own on each workflow (`PatternDefinition.limits`): keep the budget stage. Default false. */
  readonly budgets?: boolean;
  /**
   * Where the state stage's queues report (the run's metrics): the stages are built per run, and a
   * `state:` channel (the central serialiser, the bus's partitions) with them. Default none.
   */
  readonly observers?: ResourceObservers;
}

/**
 * The stages every pattern's calls go through, outermost first (DESIGN.md, data flow):
 *
 *   invoke_agent span → audit → pii-mask → sanitise → budget → circuit breaker (fallback)
 *   → state (`state:` in and out, harness/pipeline/state/)
 *   → retry → chat span → contract → accounting → timeout → admission (concurrency pool, rate limit)
 *   → agent
 *
 * The stages before `retry` run once per agent call, those after it once per model attempt.
 * Each is a set of hooks (`enter`, `exit`, `release`; harness/pipeline/pipeline.ts) run from one
 * async frame per call: a call in flight holds that frame and its agent's, whatever the number of
 * stages. Only the timeout of an agent that does not honour deadlines races a timer in a frame of
 * its own, and only a call that queues for admission awaits there.
 *
 * Tool RBAC is checked where each tool call is made (harness/governance/rbac.ts). A stage the
 * scenario cannot use is left out (it would cost each call a few checks for nothing).
 */
export function standardInterceptors(scenario: CompiledScenario, options: StandardInterceptorOptions = {}): Stage[] {
  const agents = [...scenario.agents.values()];
  const uses = (used: boolean, stage: () => Stage): Stage[] => (used ? [stage()] : []);
  return [
    agentSpanStage(),
    ...uses(scenario.audit, auditStage),
    ...uses(scenario.privacy !== null, piiMaskStage),
    // rbac is checked per tool call (harness/agents/tool-calls.ts); the trust boundary runs when cases can carry injections.
    ...uses(plantsInjections(scenario), sanitiseStage),
    ...uses(scenario.budgets !== null || options.budgets === true, budgetStage),
    ...uses(agents.some((agent) => agent.breaker !== null || agent.fallback !== null), () => breakerStage(scenario)),
    ...uses(usesStateChannel(scenario), () => stateStage(createStateChannel(scenario.state as CompiledState, options.observers ?? NO_OBSERVERS))),
    retryStage(),
    attemptSpanStage(),
    ...uses(agents.some((agent) => agent.contract !== null), contractStage),
    accountingStage(),
    timeoutStage(),
    ...uses(agents.some((agent) => agent.pool !== null || agent.model.rateLimits !== null), admissionStage),
    // The replica of an autoscaled pool each attempt runs on, and its preemption on a spot replica (harness/pipeline/autoscale/).
    ...uses(agents.some((agent) => agent.pool?.autoscale !== undefined), preemptionStage),
  ];
}

/** The pipeline of a run: the stages around a dispatch to the named agent. */
export function buildPipeline(scenario: CompiledScenario, agents: ReadonlyMap<string, Agent>, stages: readonly Stage[] = standardInterceptors(scenario)): Terminal {
  return composePipeline(stages, (call) => {
    const agent = agents.get(call.agent.name);
    if (agent === undefined) throw new HarnessError('AGENT_UNKNOWN', `no agent implementation for '${call.agent.name}'`);
    return agent.invoke(call);
  });
}
