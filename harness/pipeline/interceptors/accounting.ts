import type { AgentCall, AttemptResult, Usage } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import type { Pricing } from '../../scenario/types.ts';
import { chargeBudgets } from './budget.ts';

/** US dollars for `usage` at `pricing` (cached input tokens at the cached price). Pure. */
export function attemptCost(usage: Usage, pricing: Pricing): number {
  const uncached = usage.inputTokens - usage.cachedTokens;
  return (
    (uncached * pricing.inputPerMTok + usage.cachedTokens * pricing.cachedInputPerMTok + usage.outputTokens * pricing.outputPerMTok) /
    1_000_000
  );
}

/**
 * Token and cost accounting: prices each attempt with the agent's model profile and adds it to the
 * attempt span (`gen_ai.usage.cost.amount`, the only span that carries a cost), the call and the
 * workflow, and charges it to the budgets (harness/pipeline/interceptors/budget.ts). Failed attempts
 * bill what they report (simulated ones: nothing, but for an attempt cut short: its input and the
 * output streamed so far).
 */
export function accountingStage(): Stage {
  return {
    name: 'accounting',
    exit(call: AgentCall, result: AttemptResult): AttemptResult {
      const usage = result.usage;
      const cost = attemptCost(usage, call.agent.model.pricing);
      call.inputTokens += usage.inputTokens;
      call.outputTokens += usage.outputTokens;
      call.cachedTokens += usage.cachedTokens;
      call.costUsd += cost;
      const workflow = call.workflow;
      workflow.inputTokens += usage.inputTokens;
      workflow.outputTokens += usage.outputTokens;
      workflow.cachedTokens += usage.cachedTokens;
      workflow.costUsd += cost;
      // Budgets are hard limits: charged as each attempt is billed, so a crossing cuts the calls in flight at once.
      if (workflow.run.budget.any) chargeBudgets(call, usage.inputTokens + usage.outputTokens, cost);
      const span = call.attemptSpan;
      if (span !== null) {
        const attributes = span.attributes;
        attributes['gen_ai.usage.input_tokens'] = usage.inputTokens;
        attributes['gen_ai.usage.output_tokens'] = usage.outputTokens;
        attributes['gen_ai.usage.cache_read.input_tokens'] = usage.cachedTokens;
        // Reported by some servers only (harness/agents/openai-response.ts), each part of its total.
        if (usage.cacheCreationTokens !== undefined) attributes['gen_ai.usage.cache_creation.input_tokens'] = usage.cacheCreationTokens;
        if (usage.reasoningTokens !== undefined) attributes['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningTokens;
        attributes['gen_ai.usage.cost.amount'] = cost;
        if (result.status === 'ok') attributes['gen_ai.response.finish_reasons'] = 'stop';
      }
      return result;
    },
  };
}
