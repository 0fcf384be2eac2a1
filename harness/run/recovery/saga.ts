import { AgentCall } from '../../pipeline/call.ts';
import type { AgentInput, AgentOutput } from '../../../patterns/types.ts';
import type { WorkflowState } from '../workflow-state.ts';
import type { SideEffect } from './side-effect.ts';

/** How a workflow's saga ended (also its `saga.*` facts). */
export interface SagaOutcome {
  /** Side effects done. */
  readonly sideEffects: number;
  /** Side effects undone by their compensating agent. */
  readonly compensated: number;
  /** Compensations that failed for good (each a `compensation` dead letter). */
  readonly compensationFailures: number;
  /** Side effects of a failed workflow neither compensated nor dead-lettered: 0 unless a bug. */
  readonly uncompensated: number;
}

/**
 * Ends the saga of `workflow`: when it `failed`, compensates its side effects in reverse order of
 * completion, one after another. Each compensation is a call to the compensating agent through the
 * run's call pipeline (its own `invoke_agent` span, retries and timeouts), handed the side effect's
 * output, inside a `compensate <agent>` span under the root; it also emits a `compensation` event.
 * A compensation that fails for good is dead-lettered (kind `compensation`) and the rest still run.
 * Records the `saga.*` facts when the workflow did side effects; returns null when it did none.
 */
export async function settleSaga(workflow: WorkflowState, failed: boolean): Promise<SagaOutcome | null> {
  const done = workflow.sideEffects;
  if (done === null || done.length === 0) return null;
  const settled = new Set<SideEffect>();
  let compensated = 0;
  let compensationFailures = 0;
  if (failed) {
    for (let index = done.length - 1; index >= 0; index--) {
      const effect = done[index] as SideEffect;
      if (await compensate(workflow, effect, done.length - index)) compensated++;
      else compensationFailures++;
      settled.add(effect);
    }
  }
  const outcome: SagaOutcome = {
    sideEffects: done.length,
    compensated,
    compensationFailures,
    uncompensated: failed ? done.filter((effect) => !settled.has(effect)).length : 0,
  };
  workflow.record('saga.side_effects', outcome.sideEffects);
  if (failed) {
    workflow.record('saga.compensated', outcome.compensated);
    workflow.record('saga.compensation_failures', outcome.compensationFailures);
    workflow.record('saga.uncompensated', outcome.uncompensated);
  }
  return outcome;
}

/** Runs the compensation of `effect` (`order`: 1 for the first one run); true when it succeeded. */
async function compensate(workflow: WorkflowState, effect: SideEffect, order: number): Promise<boolean> {
  const run = workflow.run;
  const agent = run.scenario.agents.get(effect.compensator);
  const attributes = {
    'patternbench.compensation.of': effect.agent,
    'patternbench.compensation.of_span_id': effect.spanId,
    'patternbench.compensation.agent': effect.compensator,
    'patternbench.compensation.span_id': '',
    'patternbench.compensation.order': order,
  };
  const span = run.tracer.startChild(workflow.root, `compensate ${effect.agent}`, 'internal', run.clock.now(), attributes);
  let error: { readonly errorType: string; readonly message: string } | null = null;
  if (agent === undefined) {
    // The compiler checks the reference; a scenario built another way may still lack the agent.
    error = { errorType: 'agent_unknown', message: `compensating agent '${effect.compensator}' is not defined` };
  } else {
    const input: AgentInput = { tokens: effect.output.tokens, upstream: [effect.output] };
    const call = new AgentCall(agent, input, workflow);
    call.compensating = true;
    const result = await run.pipeline(call);
    attributes['patternbench.compensation.span_id'] = call.span?.spanId ?? '';
    if (result.status === 'error') error = result;
  }
  const endMs = run.clock.now();
  if (error !== null) span.setError(error.errorType, error.message);
  run.tracer.end(span, endMs);
  run.events.emit(
    'compensation',
    effect.agent,
    endMs,
    {
      'patternbench.compensation.agent': effect.compensator,
      'patternbench.compensation.of_span_id': effect.spanId,
      'patternbench.compensation.order': order,
      'patternbench.compensation.status': error === null ? 'ok' : 'failed',
    },
    workflow.root,
  );
  if (error !== null) {
    run.deadLetters.add({
      timeMs: endMs,
      kind: 'compensation',
      workflowId: workflow.workflowId,
      caseId: workflow.caseSpec.id,
      repeat: workflow.repeat,
      step: effect.compensator,
      input: JSON.stringify(effect),
      errorType: error.errorType,
      errorMessage: error.message,
      traceId: workflow.root.traceId,
    });
  }
  return error === null;
}
