import type { AgentCall, AttemptResult } from '../call.ts';
import type { Interceptor, Terminal } from '../pipeline.ts';

/**
 * Records each model attempt as a `chat {model}` span under its `invoke_agent` span (a retried call
 * has several). Steps with no model (`rule` profiles) get no attempt span.
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
        'gen_ai.usage.cost': 0,
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
