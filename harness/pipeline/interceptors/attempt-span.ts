import type { AgentCall, AttemptResult } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import type { CompiledAgent } from '../../scenario/types.ts';

/** `gen_ai.usage.cost.currency` of every attempt: model profiles price in US dollars. */
export const COST_CURRENCY = 'USD';
/** `gen_ai.usage.cost.source` of every attempt: its usage priced with the model profile, not a provider's bill. */
export const COST_SOURCE = 'estimated';

/**
 * Records each model attempt as a `chat {model}` span (kind client) under its `invoke_agent` span
 * (a retried call has several), with the attempt's cost (`gen_ai.usage.cost.amount`, filled in by
 * `accounting.ts`, in `COST_CURRENCY`). Steps with no model (`rule` profiles) get no attempt span.
 */
export function attemptSpanStage(): Stage {
  /** `chat {model}` per agent, made once per run. */
  const names = new Map<CompiledAgent, string>();
  return {
    name: 'attempt-span',
    enter(call: AgentCall): null {
      const workflow = call.workflow;
      workflow.modelAttempts++;
      const agent = call.agent;
      const model = agent.model;
      if (model.kind === 'rule' || call.span === null) return null;
      let name = names.get(agent);
      if (name === undefined) {
        name = `chat ${model.model}`;
        names.set(agent, name);
      }
      const run = workflow.run;
      call.attemptSpan = run.tracer.startChild(call.span, name, 'client', run.clock.now(), {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': model.provider,
        'gen_ai.request.model': model.model,
        'gen_ai.agent.name': agent.name,
        'gen_ai.usage.input_tokens': 0,
        'gen_ai.usage.output_tokens': 0,
        'gen_ai.usage.cache_read.input_tokens': 0,
        'gen_ai.usage.cost.amount': 0,
        'gen_ai.usage.cost.currency': COST_CURRENCY,
        'gen_ai.usage.cost.source': COST_SOURCE,
        'patternbench.attempt': call.attempt,
      });
      return null;
    },
    exit(call: AgentCall, result: AttemptResult): AttemptResult {
      const span = call.attemptSpan;
      if (span === null) return result;
      if (result.status === 'error') span.setError(result.errorType, result.message);
      call.attemptSpan = null;
      const run = call.workflow.run;
      run.tracer.end(span, run.clock.now());
      return result;
    },
  };
}
