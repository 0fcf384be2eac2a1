import type { AgentCall, AttemptResult } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import type { CompiledAgent } from '../../scenario/types.ts';
import type { Attributes } from '../../kernel/records.ts';
import type { AttributeSource } from '../../kernel/tracer.ts';

/**
 * What an agent's `invoke_agent` spans repeat on every call, made once per run and agent: their
 * name, and the attributes each starts with (made when the span first touches them).
 */
class AgentSpanNames implements AttributeSource {
  readonly span: string;
  readonly #agentId: string;

  constructor(
    scenario: string,
    private readonly agent: CompiledAgent,
  ) {
    this.span = `invoke_agent ${agent.name}`;
    this.#agentId = `${scenario}.${agent.name}`;
  }

  spanAttributes(): Attributes {
    const agent = this.agent;
    // Every key is present from the start so that all agent spans share one object shape.
    return {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': agent.name,
      'gen_ai.agent.id': this.#agentId,
      'gen_ai.provider.name': agent.model.provider,
      'gen_ai.request.model': agent.model.model,
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'patternbench.attempts': 0,
    };
  }
}

/**
 * Records each agent call as an `invoke_agent {agent}` span (kind internal: the agent runs in this
 * process) under the workflow's root span (or a nested pattern's span, `call.parentSpan`), with the call's token totals over all its attempts and
 * the final `error.type`. Cost is on the attempts' `chat` spans only (`accounting.ts`), so a sum
 * over any set of spans counts each dollar once.
 */
export function agentSpanStage(): Stage {
  const names = new Map<CompiledAgent, AgentSpanNames>();
  return {
    name: 'agent-span',
    enter(call: AgentCall): null {
      const workflow = call.workflow;
      const run = workflow.run;
      const agent = call.agent;
      let named = names.get(agent);
      if (named === undefined) {
        named = new AgentSpanNames(run.scenario.name, agent);
        names.set(agent, named);
      }
      const now = run.clock.now();
      call.span = run.tracer.startChildFrom(call.parentSpan ?? workflow.root, named.span, 'internal', now, named);
      call.startMs = now;
      workflow.agentCalls++;
      return null;
    },
    exit(call: AgentCall, result: AttemptResult): AttemptResult {
      const span = call.span;
      if (span === null) return result;
      const attributes = span.attributes;
      attributes['gen_ai.usage.input_tokens'] = call.inputTokens;
      attributes['gen_ai.usage.output_tokens'] = call.outputTokens;
      attributes['gen_ai.usage.cache_read.input_tokens'] = call.cachedTokens;
      attributes['patternbench.attempts'] = call.attempt;
      const speculation = call.input.speculation;
      if (speculation !== undefined) {
        // A chain step started on a predicted input (patterns/speculation.ts): what it used, for its waste.
        attributes['patternbench.speculative'] = true;
        speculation.tokens = call.inputTokens + call.outputTokens;
        speculation.costUsd = call.costUsd;
      }
      if (result.status === 'error') span.setError(result.errorType, result.message);
      const run = call.workflow.run;
      run.tracer.end(span, run.clock.now());
      return result;
    },
  };
}
