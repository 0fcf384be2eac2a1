import type { AgentOutput, PlanCandidate } from './types.ts';

/** Why a supervisor stopped. */
export type TerminationReason = 'completed' | 'max_rounds' | 'budget' | 'timeout';

/** A subtask as configured: its name, worker, findings scope and where it goes after repeated rejections. */
export interface SubtaskSpec {
  readonly name: string;
  readonly worker: string;
  /** Findings domains it covers. */
  readonly scope: readonly string[];
  /** Worker that takes the subtask over once `retriesBeforeReassign` retries were rejected. */
  readonly reassignTo?: string | undefined;
}

/** A subtask in the ledger. */
export interface SubtaskState {
  readonly spec: SubtaskSpec;
  /** Worker currently assigned. */
  readonly worker: string;
  /** Rejected or failed results since (re)assignment. */
  readonly rejections: number;
  readonly reassigned: boolean;
  /** The accepted result; null while pending. */
  readonly accepted: AgentOutput | null;
}

/** The supervisor's hard limits. */
export interface SupervisorLimits {
  readonly maxRounds: number;
  /** Tokens (input + output) the workflow may use; null = unlimited. */
  readonly tokenBudget: number | null;
  /** Milliseconds the workflow may take; null = unbounded. */
  readonly timeBoundMs: number | null;
}

/** A new ledger entry for `spec`. Pure. */
export function openSubtask(spec: SubtaskSpec): SubtaskState {
  return { spec, worker: spec.worker, rejections: 0, reassigned: false, accepted: null };
}

/**
 * The limit that stops the supervisor before round `round + 1`, or null to go on (pure). Checked
 * in this order: rounds done ≥ maxRounds → `max_rounds`; tokens used ≥ budget → `budget`; time
 * elapsed ≥ the time bound → `timeout`.
 */
export function limitReached(limits: SupervisorLimits, roundsDone: number, tokensUsed: number, elapsedMs: number): TerminationReason | null {
  if (roundsDone >= limits.maxRounds) return 'max_rounds';
  if (limits.tokenBudget !== null && tokensUsed >= limits.tokenBudget) return 'budget';
  if (limits.timeBoundMs !== null && elapsedMs >= limits.timeBoundMs) return 'timeout';
  return null;
}

/**
 * Tokens a planning cycle reads: the task ledger, which starts at `min` (the task and the plan)
 * and grows with every result recorded in it (`resultTokens`), summarised down to at most `max`. Pure.
 */
export function ledgerTokens(range: { readonly min: number; readonly max: number }, resultTokens: number): number {
  return Math.min(range.max, range.min + resultTokens);
}

/** Subtasks still waiting for an accepted result, in ledger order (pure). */
export function pendingSubtasks(ledger: readonly SubtaskState[]): SubtaskState[] {
  return ledger.filter((subtask) => subtask.accepted === null);
}

/** Follow-ups not in the ledger yet: the gaps a planning cycle may spot (pure). */
export function openCandidates(followUps: readonly SubtaskSpec[], ledger: readonly SubtaskState[]): PlanCandidate[] {
  const planned = new Set(ledger.map((subtask) => subtask.spec.name));
  return followUps.filter((spec) => !planned.has(spec.name)).map((spec) => ({ name: spec.name, scope: spec.scope }));
}

/**
 * The ledger entry after a review (pure): an accepted result closes the subtask; a rejected or
 * failed one (`output` null or verdict `reject`) counts a rejection, and once rejections exceed
 * `retriesBeforeReassign` the subtask passes to its `reassignTo` worker (once), starting afresh.
 * Otherwise it is retried by the same worker.
 */
export function reviewed(
  subtask: SubtaskState,
  output: AgentOutput | null,
  verdict: 'accept' | 'reject',
  retriesBeforeReassign: number,
): SubtaskState {
  if (output !== null && verdict === 'accept') return { ...subtask, accepted: output };
  const rejections = subtask.rejections + 1;
  const reassignTo = subtask.spec.reassignTo;
  if (rejections > retriesBeforeReassign && reassignTo !== undefined && !subtask.reassigned) {
    return { ...subtask, worker: reassignTo, rejections: 0, reassigned: true };
  }
  return { ...subtask, rejections };
}
