/**
 * Before an interrupted run resumes, removes what its unfinished workflows left half-written, so
 * that resuming writes every row once (the unique `spans_trace` index, built when the file closes,
 * would fail on a span stored twice).
 *
 * An unfinished workflow (no `workflows` row) keeps its checkpoints and the spans of its
 * checkpointed calls — each checkpoint's `invoke_agent` spans and their descendants: those calls
 * are replayed, not made again, so their spans stay the record of them. Everything else it wrote
 * goes: its root span (if the kill fell between the root span and the workflow row), the spans of
 * calls without a checkpoint (made again), its dead letters, and its events later than its last
 * checkpoint. The run's time series, queue series and histograms go too (the resumed run rewrites
 * them, counting the finished workflows), and the run is marked `running` again.
 */
import type { ResumeAction } from './resume-state.ts';
import type { Db } from '../../../reports/store/schema.ts';

interface SpanRef {
  readonly rowid: number;
  readonly workflow_id: number;
  readonly span_id: string;
  readonly parent_span_id: string;
}

/** Applies the clean-up of every run `actions` resumes, in one transaction. */
export function cleanUpForResume(db: Db, actions: ReadonlyMap<string, ResumeAction>): void {
  db.transaction(() => {
    for (const [runId, action] of actions) {
      if (action.kind === 'resume') cleanUpRun(db, runId);
    }
  })();
}

function cleanUpRun(db: Db, runId: string): void {
  const unfinished = 'workflow_id NOT IN (SELECT workflow_id FROM workflows WHERE run_id = @runId)';
  const checkpoints = db.prepare(`SELECT workflow_id, time_ms, span_ids FROM checkpoints WHERE run_id = @runId AND ${unfinished}`)
    .all({ runId }) as { workflow_id: number; time_ms: number; span_ids: string }[];
  const keptRoots = new Set<string>();
  const lastCheckpointMs = new Map<number, number>();
  for (const c of checkpoints) {
    for (const spanId of JSON.parse(c.span_ids) as string[]) keptRoots.add(`${c.workflow_id}/${spanId}`);
    lastCheckpointMs.set(c.workflow_id, Math.max(lastCheckpointMs.get(c.workflow_id) ?? -Infinity, c.time_ms));
  }

  // Spans are stored in `span_rows` (the `spans` view has no rowid), the run as its `strings` id.
  const spans = db
    .prepare(`SELECT rowid, workflow_id, span_id, parent_span_id FROM span_rows WHERE run = (SELECT id FROM strings WHERE value = @runId) AND ${unfinished}`)
    .all({ runId }) as SpanRef[];
  const deleteSpan = db.prepare('DELETE FROM span_rows WHERE rowid = ?');
  for (const span of droppedSpans(spans, keptRoots)) deleteSpan.run(span.rowid);

  const events = db.prepare(`SELECT seq, workflow_id, time_ms FROM events WHERE run_id = @runId AND workflow_id IS NOT NULL AND ${unfinished}`)
    .all({ runId }) as { seq: number; workflow_id: number; time_ms: number }[];
  const deleteEvent = db.prepare('DELETE FROM events WHERE run_id = ? AND seq = ?');
  for (const event of events) {
    if (event.time_ms > (lastCheckpointMs.get(event.workflow_id) ?? -Infinity)) deleteEvent.run(runId, event.seq);
  }

  db.prepare(`DELETE FROM dead_letters WHERE run_id = @runId AND ${unfinished}`).run({ runId });
  for (const table of ['timeseries', 'queue_series', 'histograms']) db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId);
  db.prepare("UPDATE runs SET status = 'running', finished_at = NULL, virtual_end_ms = NULL WHERE run_id = ?").run(runId);
}

/** The spans of unfinished workflows that are neither a kept root (`workflow/span`) nor below one. */
function droppedSpans(spans: readonly SpanRef[], keptRoots: ReadonlySet<string>): SpanRef[] {
  const children = new Map<string, SpanRef[]>();
  for (const span of spans) {
    const key = `${span.workflow_id}/${span.parent_span_id}`;
    const list = children.get(key);
    if (list === undefined) children.set(key, [span]);
    else list.push(span);
  }
  const kept = new Set<number>();
  const stack = spans.filter((span) => keptRoots.has(`${span.workflow_id}/${span.span_id}`));
  for (let span = stack.pop(); span !== undefined; span = stack.pop()) {
    if (kept.has(span.rowid)) continue;
    kept.add(span.rowid);
    stack.push(...(children.get(`${span.workflow_id}/${span.span_id}`) ?? []));
  }
  return spans.filter((span) => !kept.has(span.rowid));
}
