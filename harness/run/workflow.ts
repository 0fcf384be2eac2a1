import { HarnessError } from '../kernel/errors.ts';
import type { WorkflowRecord } from '../kernel/records.ts';
import type { RunContext } from './run-context.ts';
import { workflowDeadLetter } from './recovery/dlq.ts';
import { settleSaga } from './recovery/saga.ts';
import type { CaseSpec } from '../scenario/types.ts';
import { scoreOutput } from './scorers.ts';
import { WorkflowState } from './workflow-state.ts';
import type { Executor, WorkflowOutcome } from '../../patterns/types.ts';

/** Where a workflow sits in its run. */
export interface WorkflowSlot {
  readonly workflowId: number;
  readonly caseSpec: CaseSpec;
  readonly repeat: number;
  /** When the load model meant it to start (virtual ms); latency is measured from here. */
  readonly intendedStartMs: number;
  /** `<run_id>#<workflow_id>` of the dead-lettered workflow this one replays (`dlq replay`); null otherwise. */
  readonly replayOf?: string | null;
}

/**
 * Runs one case through the executor inside an `invoke_workflow {scenario}` root span (OpenTelemetry
 * GenAI: `gen_ai.workflow.name` = the scenario), scores the outcome, and returns the workflow row.
 * Agent failures are values; an executor that throws (a bug) fails the workflow with
 * `error.type = executor_error` rather than the run.
 */
export function runWorkflow(run: RunContext, executor: Executor, slot: WorkflowSlot): Promise<WorkflowRecord> {
  const clock = run.clock;
  const startMs = clock.now();
  const state = new WorkflowState(run, slot.caseSpec, slot.repeat, slot.workflowId, startMs);
  if (typeof slot.replayOf === 'string') state.record('dlq.replay_of', slot.replayOf);

  // Promise plumbing rather than an async frame: a workflow in flight holds one frame fewer.
  let running: Promise<WorkflowOutcome>;
  try {
    running = executor.run(state);
  } catch (error) {
    running = Promise.reject(error);
  }
  return running.then(
    (outcome) => settled(state, slot, outcome),
    (error: unknown) => settled(state, slot, executorFailed(state, error)),
  );
}

/** The outcome of a workflow whose executor threw (a bug): `executor_error`, the message on its root span. */
function executorFailed(state: WorkflowState, error: unknown): WorkflowOutcome {
  // The results file failing is no bug of the executor's: the run cannot go on.
  if (error instanceof HarnessError && (error.code === 'SINK_FAILED' || error.code === 'SINK_CLOSED')) throw error;
  const message = error instanceof Error ? error.message : String(error);
  state.root.statusMessage = message;
  return { status: 'failed', errorType: 'executor_error', failedStep: state.run.pattern, output: null };
}

/** Ends the workflow once its executor is done: the saga first when it has side effects (harness/run/recovery/saga.ts), then its row. */
function settled(state: WorkflowState, slot: WorkflowSlot, outcome: WorkflowOutcome): WorkflowRecord | Promise<WorkflowRecord> {
  if (state.sideEffects !== null) return settleSaga(state, outcome.status === 'failed').then(() => ended(state, slot, outcome));
  return ended(state, slot, outcome);
}

/** Scores the workflow, ends its root span and returns its row. */
function ended(state: WorkflowState, slot: WorkflowSlot, outcome: WorkflowOutcome): WorkflowRecord {
  const run = state.run;
  const clock = run.clock;
  const scenario = run.scenario;
  const root = state.root;
  const startMs = root.startMs;
  const endMs = clock.now();
  const score = outcome.status === 'completed' ? scoreOutput(scenario.scorer, slot.caseSpec.expected, outcome.output) : null;
  const attributes = root.attributes;
  attributes['gen_ai.usage.input_tokens'] = state.inputTokens;
  attributes['gen_ai.usage.output_tokens'] = state.outputTokens;
  attributes['gen_ai.usage.cache_read.input_tokens'] = state.cachedTokens;
  attributes['patternbench.agent_calls'] = state.agentCalls;
  attributes['patternbench.status'] = outcome.status;
  if (outcome.status === 'failed') {
    root.setError(outcome.errorType, root.statusMessage || `step ${outcome.failedStep} failed: ${outcome.errorType}`);
    attributes['patternbench.failed_step'] = outcome.failedStep;
    run.deadLetters.add(workflowDeadLetter(state, outcome, endMs));
  }
  if (score !== null) {
    const evaluation = {
      'gen_ai.evaluation.name': score.name,
      'gen_ai.evaluation.score.value': score.score,
      'gen_ai.evaluation.score.label': score.correct ? 'correct' : 'incorrect',
    };
    root.addEvent('gen_ai.evaluation.result', endMs, score.details === undefined ? evaluation : { ...evaluation, ...score.details });
  }
  run.tracer.end(root, endMs);

  return {
    runId: run.runId,
    workflowId: slot.workflowId,
    caseId: slot.caseSpec.id,
    repeat: slot.repeat,
    status: outcome.status,
    intendedStartMs: slot.intendedStartMs,
    startMs,
    endMs,
    latencyMs: endMs - slot.intendedStartMs,
    serviceMs: endMs - startMs,
    inputTokens: state.inputTokens,
    outputTokens: state.outputTokens,
    cachedTokens: state.cachedTokens,
    costUsd: state.costUsd,
    agentCalls: state.agentCalls,
    modelAttempts: state.modelAttempts,
    correct: score === null ? null : score.correct,
    score: score === null ? null : score.score,
    errorType: outcome.status === 'failed' ? outcome.errorType : null,
    failedStep: outcome.status === 'failed' ? outcome.failedStep : null,
    output: outcome.output === null ? null : JSON.stringify(outcome.output),
    traceId: root.traceId,
    facts: state.facts === null ? null : JSON.stringify(state.facts),
    expected: run.expectedJson.of(slot.caseSpec),
  };
}
