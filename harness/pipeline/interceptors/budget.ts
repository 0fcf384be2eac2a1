import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import { emitBudgetCrossing, worstCase, type BudgetCrossing, type BudgetLine, type HardBudget } from '../budget.ts';
import { Cancellation, type Cancellable } from '../../kernel/clock.ts';
import type { Stage } from '../pipeline.ts';

/**
 * Token and cost budgets per workflow and per run (`budgets:`), and a pattern's own hard limits on
 * a workflow (a supervisor's `tokenBudget`). They are hard limits:
 * - A call is refused with `budget_exceeded` (no model attempt, never retried) once a budget of its
 *   workflow or run is spent, or when its worst case — input tokens plus the agent's output-token
 *   cap (`maxOutputTokens`), and their price — does not fit in what is left. Calls in flight are
 *   not reserved against; a refusal stops the budget (`budget.stop`) as a crossing would.
 * - Every attempt's usage is charged as soon as it is billed (`chargeBudgets`, called by the
 *   accounting stage): reaching `alertAt` (default 70 %) emits `budget.alert`, reaching 100 %
 *   `budget.stop`, each once per budget line.
 * - A stop cuts at once every call in flight under that budget (the workflow's, or the whole
 *   run's): each call is linked to the budget's `halt`, so its attempt ends `cancelled`, billed for
 *   what it used so far. A workflow so records at most its budget plus the calls in flight when it
 *   was crossed. The fact `budget.termination_reason` = `budget_exceeded` marks a workflow a budget
 *   refused or cut.
 * Compensations (saga) are neither refused nor cut: they undo side effects of a failed workflow.
 */
export function budgetStage(): Stage {
  return {
    name: 'budget',
    enter(call: AgentCall): AttemptResult | null {
      const workflow = call.workflow;
      const run = workflow.run;
      if (!run.budget.any || call.compensating) return null;
      const refused = admit(call);
      if (refused !== null) return refused;
      // The call stops when its pattern cancels it or a budget of its workflow or run stops.
      const input = call.input;
      const cut = new CallCut();
      input.cancel?.attach(cut);
      workflow.budget.halt.attach(cut);
      run.budget.run.halt.attach(cut);
      call.uncutInput = input;
      call.input = { ...input, cancel: cut };
      return null;
    },
    exit(call: AgentCall, result: AttemptResult): AttemptResult {
      const workflow = call.workflow;
      if (call.uncutInput !== null && result.status === 'error' && result.errorType === 'cancelled' && workflow.budgetStop() !== null) {
        workflow.record('patternbench.budget.termination_reason', 'budget_exceeded');
      }
      return result;
    },
    release(call: AgentCall): void {
      const input = call.uncutInput;
      if (input === null) return;
      const cut = call.input.cancel as CallCut;
      const workflow = call.workflow;
      input.cancel?.detach(cut);
      workflow.budget.halt.detach(cut);
      workflow.run.budget.run.halt.detach(cut);
      call.input = input;
      call.uncutInput = null;
    },
  };
}

/** A call's own cancellation, fired by any cancellation it is attached to. */
class CallCut extends Cancellation implements Cancellable {
  onCancelled(): void {
    this.cancel();
  }
}

/** Null when `call` may start; else its refusal (and the budget it stops, recorded). */
function admit(call: AgentCall): AttemptResult | null {
  const workflow = call.workflow;
  const run = workflow.run;
  const agent = call.agent;
  const worst = worstCase(agent.promptTokens + call.input.tokens, agent.maxOutputTokens, agent.model.pricing);
  const scopes: [HardBudget, number, number][] = [
    [workflow.budget, workflow.inputTokens + workflow.outputTokens, workflow.costUsd],
    [run.budget.run, run.budget.tokens, run.budget.costUsd],
  ];
  for (const [budget, tokens, costUsd] of scopes) {
    const line = budget.refusing(tokens, costUsd, worst);
    if (line === null) continue;
    const spent = line.meter.exhausted;
    if (budget.stop(line)) emitBudgetCrossing(run.events, 'stop', line.scope, line.meter, run.clock.now(), call.span);
    workflow.record('patternbench.budget.termination_reason', 'budget_exceeded');
    const what = `the ${line.scope} ${line.meter.metric} budget of ${line.meter.limit}`;
    const left = line.meter.limit - line.meter.consumed;
    const need = line.meter.metric === 'tokens' ? worst.tokens : worst.costUsd;
    return {
      status: 'error',
      errorType: 'budget_exceeded',
      message: spent ? `${what} is spent` : `${what} has ${left} left, less than this call's worst case of ${need}`,
      usage: NO_USAGE,
      retryAfterMs: null,
    };
  }
  return null;
}

/**
 * Charges one attempt's billed `tokens` and `costUsd` (already added to the workflow's totals) to
 * the workflow's and the run's budgets, recording each line crossed; a stop fires the budget's
 * halt, cutting its calls in flight. Called by the accounting stage as each attempt is billed.
 */
export function chargeBudgets(call: AgentCall, tokens: number, costUsd: number): void {
  const workflow = call.workflow;
  const run = workflow.run;
  const crossed: [BudgetLine, BudgetCrossing][] = [
    ...workflow.budget.update(workflow.inputTokens + workflow.outputTokens, workflow.costUsd),
    ...run.budget.add(tokens, costUsd),
  ];
  if (crossed.length === 0) return;
  const now = run.clock.now();
  for (const [line, crossing] of crossed) emitBudgetCrossing(run.events, crossing, line.scope, line.meter, now, call.span);
}
