import type { AuditHead } from '../../governance/audit.ts';

/** The run and workflow that replayed a dead letter (`dlq replay`): its `replayed_*` columns. */
export interface DeadLetterLink {
  readonly runId: string;
  readonly workflowId: number;
}

/**
 * How to continue one interrupted run (`RunHooks.resume`), as `planResume` (harness/run/recovery/resume.ts)
 * read it from the results file. The run is simulated again from virtual time 0; these say what
 * of it the file holds already, so that it is not stored twice (harness/run/recovery/resume-sink.ts).
 */
export interface RunResume {
  /** Ids of the workflows whose rows the file holds: their spans, rows and checkpoints are kept, not stored again. */
  readonly finished: ReadonlySet<number>;
  /**
   * The part of the run's audit chain the file holds (`audit` is append-only, so it stays): the
   * chain simulated again must pass through it, and is stored from row `rows` on.
   */
  readonly audit: AuditHead;
  /** Links of the run's dead letters replayed by `dlq replay` before the resume, by `seq`: kept on the rewritten letters. */
  readonly deadLetterLinks: ReadonlyMap<number, DeadLetterLink>;
  /** The run's shard label once resumed (`runs.shard`): the command's, also for a run that held only some of its slices. */
  readonly shard: string;
}

/** What `--resume` does with one cell of the matrix. */
export type ResumeAction =
  | { readonly kind: 'skip' }
  | { readonly kind: 'fresh' }
  | { readonly kind: 'resume'; readonly resume: RunResume };
