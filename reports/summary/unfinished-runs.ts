/**
 * Runs of a results file that have not finished (`runs.status` other than `completed`): one still
 * being written (or killed before it could close), an interrupted one, a failed one. Their figures
 * cover only the workflows written so far, so the report says so, on the page and in the terminal.
 */
import type { Db } from '../store/schema.ts';

/** A run that has not finished. */
export interface UnfinishedRun {
  readonly runId: string;
  /** `runs.status`: `running`, `interrupted` or `failed`. */
  readonly status: string;
  /** Workflows written so far. */
  readonly workflows: number;
}

const UNFINISHED = `
SELECT r.run_id AS runId, r.status, count(w.run_id) AS workflows
FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
WHERE r.status <> 'completed'
GROUP BY r.run_id
ORDER BY r.scenario, r.pattern, r.variant, r.seed, r.run_id`;

/** The runs of `db` that have not finished, in the summary's order. */
export function unfinishedRuns(db: Db): UnfinishedRun[] {
  return db.prepare(UNFINISHED).all() as UnfinishedRun[];
}

/** One line on `run`: what its status means for the figures shown. */
export function describeUnfinishedRun(run: UnfinishedRun): string {
  const written = `${run.workflows.toLocaleString('en-US')} workflow${run.workflows === 1 ? '' : 's'}`;
  switch (run.status) {
    case 'running':
      return `run ${run.runId} is still running (or was killed before it finished): its figures cover the ${written} written so far`;
    case 'interrupted':
      return `run ${run.runId} was interrupted after ${written} (\`run … --resume\` continues it): its figures cover those only`;
    case 'failed':
      return `run ${run.runId} failed after ${written}: its figures cover those only`;
    default:
      return `run ${run.runId} has status ${JSON.stringify(run.status)}: its figures cover the ${written} written`;
  }
}
