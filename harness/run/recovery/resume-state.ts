import type { AuditHead } from '../../governance/audit.ts';
import type { WorkflowReplay } from './checkpoint.ts';
import type { RunMetrics } from '../run-metrics.ts';

/**
 * How to continue one interrupted run (`RunHooks.resume`), as `planResume` (harness/run/recovery/resume.ts)
 * read it from the results file.
 */
export interface RunResume {
  /** Ids of the workflows to run, in order: the unfinished ones below `nextId`. */
  readonly pending: readonly number[];
  /** First workflow id the interrupted run never reached; a closed load with a duration goes on from it. */
  readonly nextId: number;
  /** Virtual ms the interrupted run had reached; the resumed run's clock starts there. */
  readonly startMs: number;
  /** Latest end of a finished workflow, virtual ms (0 when none). */
  readonly virtualEndMs: number;
  /** Checkpoints of the unfinished workflows, by workflow id. */
  readonly replays: ReadonlyMap<number, WorkflowReplay>;
  /** Next `events.seq` and `dead_letters.seq` of the run. */
  readonly nextEventSeq: number;
  readonly nextDeadLetterSeq: number;
  /** Where the run's audit chain stands (rows, last hash): the resumed run appends to it. */
  readonly auditHead?: AuditHead;
  /** Tokens and cost already spent (finished workflows and checkpointed calls), charged to the run budget. */
  readonly spentTokens: number;
  readonly spentCostUsd: number;
  /** Feeds the finished workflows' rows and spans into the resumed run's metrics (harness/run/recovery/resume-metrics.ts). */
  readonly restoreMetrics: (metrics: RunMetrics) => void;
}

/** The workflow id at `position` of a resumed run's launch order. */
export function resumedWorkflowId(resume: RunResume, position: number): number {
  return position < resume.pending.length ? (resume.pending[position] as number) : resume.nextId + position - resume.pending.length;
}

/** What `--resume` does with one cell of the matrix. */
export type ResumeAction =
  | { readonly kind: 'skip' }
  | { readonly kind: 'fresh' }
  | { readonly kind: 'resume'; readonly resume: RunResume };
