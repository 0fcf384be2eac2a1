import { NumberedRows } from '../../pipeline/numbered-rows.ts';
import type { DeadLetterRecord } from '../../kernel/records.ts';
import { hashKey, mixSeed } from '../../kernel/rng.ts';
import type { CaseSpec } from '../../scenario/types.ts';
import type { CallWorkflow } from '../../pipeline/call.ts';
import type { WorkflowOutcome } from '../../../patterns/types.ts';

/** A dead letter as its producer knows it; the queue numbers it and leaves the replay links empty. */
export type DeadLetter = Omit<DeadLetterRecord, 'runId' | 'seq' | 'replayedRunId' | 'replayedWorkflowId'>;

/**
 * The dead-letter queue of one run: what failed for good (a workflow, or the compensation of a
 * side effect), with what a retry needs. Each letter is a `dead_letters` row numbered from 0 in the
 * order it was queued. `patternbench dlq replay` re-runs the workflow letters (`harness/run/recovery/dlq-replay.ts`).
 */
export class DeadLetterQueue extends NumberedRows {
  add(letter: DeadLetter): void {
    this.sink.writeAux({
      table: 'dead_letters',
      row: { ...letter, runId: this.runId, seq: this.nextSeq(), replayedRunId: null, replayedWorkflowId: null },
    });
  }
}

/** The `input` of a workflow's dead letter: its case in full (so a replay needs no case generator) and its repeat. */
export interface WorkflowLetterInput {
  readonly caseId: string;
  readonly repeat: number;
  readonly case: CaseSpec;
}

/**
 * The dead letter of `workflow`, which ended `failed` at `timeMs`: its case, the failed step, the
 * error type, and as message the last failed call's when that call was the failed step's (else
 * the root span's status message), with the workflow's trace id.
 */
export function workflowDeadLetter(workflow: CallWorkflow, outcome: Extract<WorkflowOutcome, { status: 'failed' }>, timeMs: number): DeadLetter {
  const caseSpec = workflow.caseSpec;
  const input: WorkflowLetterInput = { caseId: caseSpec.id, repeat: workflow.repeat, case: caseSpec };
  const last = workflow.lastFailure;
  const fromCall = last !== null && last.agent === outcome.failedStep && last.errorType === outcome.errorType;
  return {
    timeMs,
    kind: 'workflow',
    workflowId: workflow.workflowId,
    caseId: caseSpec.id,
    repeat: workflow.repeat,
    step: outcome.failedStep,
    input: JSON.stringify(input),
    errorType: outcome.errorType,
    errorMessage: fromCall ? `step ${outcome.failedStep} failed: ${last.message}` : workflow.root.statusMessage,
    traceId: workflow.root.traceId,
  };
}

/** One dead-lettered workflow re-run by a replay. */
export interface ReplayedWorkflow {
  readonly caseSpec: CaseSpec;
  /** The original workflow's repeat index (kept, so two repeats of a case stay distinct). */
  readonly repeat: number;
  /** `<run_id>#<workflow_id>` of the original workflow: the replay's `dlq.replay_of` fact. */
  readonly of: string;
}

/** A run that re-runs dead-lettered workflows of an earlier run (`patternbench dlq replay`). */
export interface ReplayPlan {
  /** `<original run_id>/replay-<n>`. */
  readonly runId: string;
  /** n, from 1: keys the replay's random streams, so a transient failure may not recur. */
  readonly number: number;
  /** Workflow i of the replay re-runs `workflows[i]`. */
  readonly workflows: readonly ReplayedWorkflow[];
}

/**
 * The seed a replay's random streams derive from: the original run's seed mixed with the replay
 * number. The same replay of the same run draws the same values (reproducible), while each replay
 * draws fresh ones, as a retry against a real provider would meet fresh conditions.
 */
export function replaySeed(seed: number, replay: number): number {
  return mixSeed(seed, hashKey('dlq.replay'), replay);
}
