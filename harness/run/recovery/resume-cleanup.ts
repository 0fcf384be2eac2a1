/**
 * Before an interrupted run resumes, removes everything of it that is not a finished workflow's,
 * so that the run simulated again (harness/run/recovery/resume.ts) writes every other row once:
 * the spans, checkpoints and recordings of its unfinished workflows (no `workflows` row), and all
 * of its events, dead letters, time series, queue series, histograms, span metrics and thresholds
 * (the resumed run rewrites them whole, counting every workflow and span). The `audit` table is append-only: its rows
 * stay, and the resumed run stores its chain from where they end. The run is marked `running` again,
 * under the command's shard label (a sliced run that held only some of its slices resumes whole).
 */
import type { ResumeAction } from './resume-state.ts';
import type { Db } from '../../../reports/store/schema.ts';

/** Tables whose rows the resumed run writes again whole: everything of the run there is deleted. */
const REWRITTEN_TABLES = ['events', 'dead_letters', 'timeseries', 'queue_series', 'histograms', 'span_metrics', 'thresholds'] as const;

/** Tables of per-workflow rows: an unfinished workflow's are deleted (its `spans` too, stored in `span_rows`). */
const WORKFLOW_TABLES = ['checkpoints', 'recordings'] as const;

/** Applies the clean-up of every run `actions` resumes, in one transaction. */
export function cleanUpForResume(db: Db, actions: ReadonlyMap<string, ResumeAction>): void {
  db.transaction(() => {
    for (const [runId, action] of actions) {
      if (action.kind === 'resume') cleanUpRun(db, runId, action.resume.shard);
    }
  })();
}

function cleanUpRun(db: Db, runId: string, shard: string): void {
  const unfinished = 'workflow_id NOT IN (SELECT workflow_id FROM workflows WHERE run_id = @runId)';
  // Spans are stored in `span_rows` (the `spans` view has no rowid), the run as its `strings` id.
  db.prepare(`DELETE FROM span_rows WHERE run = (SELECT id FROM strings WHERE value = @runId) AND ${unfinished}`).run({ runId });
  for (const table of WORKFLOW_TABLES) db.prepare(`DELETE FROM ${table} WHERE run_id = @runId AND ${unfinished}`).run({ runId });
  for (const table of REWRITTEN_TABLES) db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId);
  db.prepare("UPDATE runs SET status = 'running', finished_at = NULL, virtual_end_ms = NULL, shard = ? WHERE run_id = ?").run(shard, runId);
}
