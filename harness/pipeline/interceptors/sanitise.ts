import type { AgentCall } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import { caseInjected, countFact, TRUST_FACTS } from '../../governance/trust.ts';
import type { TrustLevel } from '../../scenario/trust-types.ts';

/** Workflow fact: the case carries a planted injection. */
const INJECTED_CASE = 'patternbench.security.injected_case';

/** Where an injection in what a call reads comes from: the case itself, or an upstream agent's output. */
interface InjectionSource {
  /** `case`, or the agent whose output carried it. */
  readonly from: string;
  readonly trust: TrustLevel;
}

/**
 * The injections in what `call` reads: the case's, when the call reads the case itself (no
 * upstream outputs: user-submitted data, untrusted), and each upstream output that carries one
 * (`injected: true`), with the trust of the agent that produced it (`standard` for a producer that
 * is no agent, such as a fan-out's merged result). Pure.
 */
export function injectionSources(call: AgentCall): InjectionSource[] {
  const upstream = call.input.upstream;
  const sources: InjectionSource[] = [];
  if (upstream.length === 0 && caseInjected(call.workflow.caseSpec)) sources.push({ from: 'case', trust: 'untrusted' });
  for (const output of upstream) {
    if (output.injected !== true) continue;
    sources.push({ from: output.agent, trust: call.workflow.run.scenario.agents.get(output.agent)?.access.trust ?? 'standard' });
  }
  return sources;
}

/**
 * The trust boundary in front of every agent call (after the `invoke_agent` span, before budgets):
 * works out whether what the call reads carries an injected instruction and, for a call to an
 * elevated agent with `sanitise: true`, strips each injection from an untrusted source (the case,
 * an untrusted agent's output) with the sanitiser's detection rate — one draw per injection from
 * the elevated agent's `sanitiser` stream, an `injection.sanitised` span event per stripped one.
 * What gets through sets `call.injected` (the simulated agent then carries it on and, when elevated,
 * performs its `injectionAction`), the span attribute `patternbench.injection.received`, and for an
 * elevated agent the workflow fact `security.injection_reached`. Injections from standard or
 * elevated agents pass unsanitised: the boundary is drawn around untrusted sources only.
 */
export function sanitiseStage(): Stage {
  return {
    name: 'sanitise',
    enter(call: AgentCall): null {
      const workflow = call.workflow;
      if (caseInjected(workflow.caseSpec)) workflow.record(INJECTED_CASE, true);
      const sources = injectionSources(call);
      if (sources.length === 0) return null;
      const access = workflow.run.scenario.access;
      const elevated = call.agent.access.trust === 'elevated';
      let passed = 0;
      for (const source of sources) {
        const screened = elevated && access.sanitise && source.trust === 'untrusted';
        if (screened && (call.input.speculation?.streams ?? workflow.streams(call.agent.name)).named('sanitiser').next() < access.detection) {
          call.span?.addEvent('injection.sanitised', workflow.now(), { 'patternbench.injection.source': source.from });
          countFact(call, TRUST_FACTS.sanitised);
        } else passed++;
      }
      call.injected = passed > 0;
      if (call.injected) {
        if (call.span !== null) call.span.attributes[TRUST_FACTS.received] = true;
        if (elevated) countFact(call, TRUST_FACTS.reached);
      }
      return null;
    },
  };
}
