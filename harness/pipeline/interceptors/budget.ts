import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import { consumption, emitBudgetCrossing } from '../budget.ts';
import type { Interceptor, Terminal } from '../pipeline.ts';

/**
 * Token and cost budgets per workflow and per run (`budgets:`). A call is refused with
 * `budget_exceeded` (never retried) once its workflow's or the run's budget is spent; after each
 * call the consumption is checked: reaching `alertAt` (default 70 %) emits a `budget.alert` event,
 * reaching 100 % a `budget.stop` event, each once per budget. The workflow then fails with
 * `budget_exceeded` at its next call (the fact `budget.termination_reason` says so).
 */
export function budgetInterceptor(): Interceptor {
  return {
    name: 'budget',
    async intercept(call: AgentCall, next: Terminal): Promise<AttemptResult> {
      const workflow = call.workflow;
      const run = workflow.run;
      if (!run.budget.any) return next(call);
      const meters = workflow.budgetMeters;
      // A compensation is never refused: it undoes a side effect of a workflow that already failed.
      const spent = call.compensating ? undefined : (meters.find((meter) => meter.exhausted) ?? run.budget.run.find((meter) => meter.exhausted));
      if (spent !== undefined) {
        const scope = meters.includes(spent) ? 'workflow' : 'run';
        workflow.record('patternbench.budget.termination_reason', 'budget_exceeded');
        return {
          status: 'error',
          errorType: 'budget_exceeded',
          message: `the ${scope} ${spent.metric} budget of ${spent.limit} is spent`,
          usage: NO_USAGE,
          retryAfterMs: null,
        };
      }
      const before = { tokens: workflow.inputTokens + workflow.outputTokens, cost: workflow.costUsd };
      const result = await next(call);
      const tokens = workflow.inputTokens + workflow.outputTokens;
      const now = run.clock.now();
      for (const meter of meters) {
        for (const crossing of meter.update(consumption(meter.metric, tokens, workflow.costUsd))) {
          emitBudgetCrossing(run.events, crossing, 'workflow', meter, now, call.span);
        }
      }
      for (const [meter, crossing] of run.budget.add(tokens - before.tokens, workflow.costUsd - before.cost)) {
        emitBudgetCrossing(run.events, crossing, 'run', meter, now, call.span);
      }
      return result;
    },
  };
}
