import type { AgentCall, AttemptResult } from '../call.ts';
import type { Interceptor, Terminal } from '../pipeline.ts';

/**
 * Records each agent call as an `invoke_agent {agent}` span (kind internal: the agent runs in this
 * process) under the workflow's root span, with the call's token totals over all its attempts and
 * the final `error.type`. Cost is on the attempts' `chat` spans only (`accounting.ts`), so a sum
 * over any set of spans counts each dollar once.
 */
export function agentSpanInterceptor(): Interceptor {
  return {
    name: 'agent-span',
    async intercept(call: AgentCall, next: Terminal): Promise<AttemptResult> {
      const workflow = call.workflow;
      const run = workflow.run;
      const agent = call.agent;
      // Every key is present from the start so that all agent spans share one object shape.
      const attributes = {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': agent.name,
        'gen_ai.agent.id': `${run.scenario.name}.${agent.name}`,
        'gen_ai.provider.name': agent.model.provider,
        'gen_ai.request.model': agent.model.model,
        'gen_ai.usage.input_tokens': 0,
        'gen_ai.usage.output_tokens': 0,
        'gen_ai.usage.cache_read.input_tokens': 0,
        'patternbench.attempts': 0,
      };
      const span = run.tracer.startChild(workflow.root, `invoke_agent ${agent.name}`, 'internal', run.clock.now(), attributes);
      call.span = span;
      workflow.agentCalls++;
      const result = await next(call);
      attributes['gen_ai.usage.input_tokens'] = call.inputTokens;
      attributes['gen_ai.usage.output_tokens'] = call.outputTokens;
      attributes['gen_ai.usage.cache_read.input_tokens'] = call.cachedTokens;
      attributes['patternbench.attempts'] = call.attempt;
      if (result.status === 'error') span.setError(result.errorType, result.message);
      run.tracer.end(span, run.clock.now());
      return result;
    },
  };
}
