/**
 * The outcome rates a user decides on — success and accuracy — defined once for the summary,
 * thresholds, compare and the HTML report. They count every workflow a run was meant to run: the
 * ones that started (completed or failed) and the arrivals dropped — at the in-flight cap, or after
 * a spent run budget stopped the run starting workflows — so a pattern cannot look better by
 * failing, shedding or running out of budget on the hard cases. Budget-stopped workflows that
 * started count as failed ones.
 */

/** What a run (or a pooled cell) did with its arrivals. */
export interface OutcomeCounts {
  /** Workflows that started (rows of `workflows`). */
  readonly workflows: number;
  /** Workflows with status `completed`. */
  readonly completed: number;
  /** Arrivals dropped at the in-flight cap or after a spent run budget (`timeseries.dropped`): meant to run, never started. */
  readonly dropped: number;
  /** Workflows the scorer judged (`correct` not NULL; only completed ones are scored). */
  readonly scored: number;
  /** Workflows judged correct. */
  readonly correct: number;
}

/** Every workflow meant to run: started + dropped. */
export function arrivalCount(counts: OutcomeCounts): number {
  return counts.workflows + counts.dropped;
}

/** completed ÷ arrivals: a failed workflow and a dropped arrival both count against it. Null without arrivals. */
export function successRate(counts: OutcomeCounts): number | null {
  const arrivals = arrivalCount(counts);
  return arrivals === 0 ? null : counts.completed / arrivals;
}

/**
 * The denominator of the headline accuracy: every arrival except the completed workflows the scorer
 * could not judge (a case without an expected answer). Failed workflows and dropped arrivals stay
 * in: they gave no right answer.
 */
export function judgedCount(counts: OutcomeCounts): number {
  return arrivalCount(counts) - (counts.completed - counts.scored);
}

/**
 * The headline accuracy: correct ÷ every workflow meant to run (`judgedCount`), failed and dropped
 * ones counting as not correct. Null when there is nothing to count, or when workflows completed
 * but none could be scored (the cases carry no expected answers): then there is no accuracy at all.
 */
export function accuracyRate(counts: OutcomeCounts): number | null {
  if (counts.scored === 0 && counts.completed > 0) return null;
  const judged = judgedCount(counts);
  return judged === 0 ? null : counts.correct / judged;
}

/** correct ÷ scored: how often a completed workflow was right, failures and drops left out. Null when nothing was scored. */
export function completedAccuracyRate(counts: OutcomeCounts): number | null {
  return counts.scored === 0 ? null : counts.correct / counts.scored;
}

/**
 * The SQL of each run's dropped arrivals (`run_id`, `dropped`), summed over its `timeseries`
 * windows; a run without a time series (an older or hand-built file) has no row.
 */
export const DROPPED_BY_RUN = 'SELECT run_id, sum(dropped) AS dropped FROM timeseries GROUP BY run_id';
