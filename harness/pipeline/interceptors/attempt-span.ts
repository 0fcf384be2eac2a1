import type { AgentCall, AttemptResult } from '../call.ts';
import type { Interceptor, Terminal } from '../pipeline.ts';

/** `gen_ai.usage.cost.currency` of every attempt: model profiles price in US dollars. */
export const COST_CURRENCY = 'USD';
/** `gen_ai.usage.cost.source` of every attempt: its usage priced with the model profile, not a provider's bill. */
export const COST_SOURCE = 'estimated';

/**
 * Records each model attempt as a `chat {model}` span (kind client) under its `invoke_agent` span
 * (a retried call has several), with the attempt's cost (`gen_ai.usage.cost.amount`, filled in by
 * `accounting.ts`, in `COST_CURRENCY`). Steps with no model (`rule` profiles) get no attempt span.
 */
export function attemptSpanInterceptor(): Interceptor {
  return {
    name: 'attempt-span',
    async intercept(call: AgentCall, next: Terminal): Promise<AttemptResult> {
      const workflow = call.workflow;
      workflow.modelAttempts++;
      const model = call.agent.model;
      if (model.kind === 'rule' || call.span === null) return next(call);
      const run = workflow.run;
      const span = run.tracer.startChild(call.span, `chat ${model.model}`, 'client', run.clock.now(), {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': model.provider,
        'gen_ai.request.model': model.model,
        'gen_ai.agent.name': call.agent.name,
        'gen_ai.usage.input_tokens': 0,
        'gen_ai.usage.output_tokens': 0,
        'gen_ai.usage.cache_read.input_tokens': 0,
        'gen_ai.usage.cost.amount': 0,
        'gen_ai.usage.cost.currency': COST_CURRENCY,
        'gen_ai.usage.cost.source': COST_SOURCE,
        'patternbench.attempt': call.attempt,
      });
      call.attemptSpan = span;
      const result = await next(call);
      if (result.status === 'error') span.setError(result.errorType, result.message);
      call.attemptSpan = null;
      run.tracer.end(span, run.clock.now());
      return result;
    },
  };
}
