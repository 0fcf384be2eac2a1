/** Helpers of the checkpoint and resume tests: crafted interruptions, run on the virtual clock. */
import { checkpointOutcome, WorkflowReplay, type Checkpoint } from '../../harness/run/recovery/checkpoint.ts';
import type { CheckpointRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import type { RunResume } from '../../harness/run/recovery/resume-state.ts';
import { executeRun, type RunSpec } from '../../harness/run/runner.ts';
import { VirtualClock } from '../../harness/kernel/virtual-clock.ts';
import { MemorySink } from '../../reports/store/memory-sink.ts';
import type { RecordSink } from '../../reports/store/sink.ts';

/** The checkpoint rows a sink received, in order. */
export function checkpointRows(sink: MemorySink): CheckpointRecord[] {
  return sink.aux.flatMap((record) => (record.table === 'checkpoints' ? [record.row] : []));
}

/** `rows` as the `Checkpoint`s a resumed run replays. */
export function asCheckpoints(rows: readonly CheckpointRecord[]): Checkpoint[] {
  return rows.map((row) => ({ step: row.step, agent: row.agent, outcome: checkpointOutcome(row) }));
}

/**
 * Runs only workflow `original.workflowId` of `spec` again, as a resumed run would after a kill
 * that left the first `kept` of its checkpoints: from the time it first started, replaying them.
 */
export async function resumeOneWorkflow(
  spec: RunSpec,
  original: WorkflowRecord,
  checkpoints: readonly CheckpointRecord[],
  sink: RecordSink = new MemorySink(),
): Promise<void> {
  const resume: RunResume = {
    pending: [original.workflowId],
    nextId: spec.cases.length * spec.repeat,
    startMs: original.startMs,
    virtualEndMs: 0,
    replays: new Map([[original.workflowId, new WorkflowReplay(asCheckpoints(checkpoints))]]),
    nextEventSeq: 0,
    nextDeadLetterSeq: 0,
    spentTokens: 0,
    spentCostUsd: 0,
    restoreMetrics: () => {},
  };
  // The run row exists in a real resume; this sink only needs it for `endRun`.
  if (sink instanceof MemorySink) sink.beginRun({ runId: original.runId, scenario: '', pattern: '', variant: '', seed: 0, epochMs: 0, config: '', startedAt: '' });
  await executeRun(spec, sink, new VirtualClock(), { resume });
}
