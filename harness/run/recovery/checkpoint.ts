/**
 * Checkpoints: one `checkpoints` row per completed agent call — what it returned, spent and took,
 * its `invoke_agent` spans and how far the random streams had got — committed with the call's spans.
 * `--resume` does not read them: a resumed run is simulated again from virtual time 0
 * (harness/run/recovery/resume.ts) and writes the checkpoints of its unfinished workflows again,
 * equal to those the interruption cut short.
 *
 * Ordering guarantee. A call's spans are handed to the sink while the call runs (its `invoke_agent`
 * span ends before the pipeline returns); its checkpoint is handed to the same sink right after.
 * Every SQLite sink buffers spans and auxiliary rows in arrival order and commits them in batches,
 * one transaction each, in order. So a committed checkpoint always has its spans committed (in the
 * same or an earlier transaction). Never write a checkpoint before its call's spans. Under
 * `--traces tail` the run's checkpoints go through the trace buffer (harness/run/trace-buffer.ts),
 * which writes them at the workflow's end, after its spans when the trace is kept.
 */
import type { AgentCall, CallWorkflow } from '../../pipeline/call.ts';
import type { CheckpointRecord } from '../../kernel/records.ts';
import type { CallOutcome } from '../../../patterns/types.ts';
import type { RecordSink } from '../../../reports/store/sink.ts';

/**
 * Draws random streams had made when a call ended: `ids`, the trace's span ids (other calls in
 * flight may have drawn some), and `agents[agent][stream]` for the agents the call itself went to.
 */
export interface StreamDraws {
  readonly ids: number;
  readonly agents: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A run's checkpoints: saves one per completed agent call (when `save`). Owned by the runner; one per run. */
export class RunCheckpoints {
  constructor(
    private readonly sink: RecordSink,
    /** Write checkpoints (default on; `--no-checkpoints` turns it off). */
    private readonly save: boolean,
  ) {}

  /**
   * Saves call `step` of `workflow`, which has just completed (its spans already written): `calls`
   * are the pipeline calls it took, its own first, then any made on its behalf (fallbacks).
   */
  record(workflow: CallWorkflow, step: number, calls: readonly AgentCall[], result: CallOutcome, startMs: number): void {
    if (!this.save) return;
    const endMs = workflow.now();
    let inputTokens = 0;
    let outputTokens = 0;
    let cachedTokens = 0;
    let costUsd = 0;
    let modelAttempts = 0;
    const spanIds: string[] = [];
    for (const call of calls) {
      inputTokens += call.inputTokens;
      outputTokens += call.outputTokens;
      cachedTokens += call.cachedTokens;
      costUsd += call.costUsd;
      modelAttempts += call.attempt;
      if (call.span !== null) spanIds.push(call.span.spanId);
    }
    const row: CheckpointRecord = {
      runId: workflow.run.runId,
      workflowId: workflow.workflowId,
      step,
      agent: (calls[0] as AgentCall).agent.name,
      timeMs: endMs,
      result: JSON.stringify(result),
      inputTokens,
      outputTokens,
      cachedTokens,
      costUsd,
      agentCalls: calls.length,
      modelAttempts,
      durationMs: endMs - startMs,
      spanIds: JSON.stringify(spanIds),
      draws: JSON.stringify({ ids: workflow.root.idStream().draws, agents: workflow.streamDraws(calls.map((call) => call.agent.name)) } satisfies StreamDraws),
    };
    this.sink.writeAux({ table: 'checkpoints', row });
  }
}
