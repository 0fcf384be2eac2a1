/**
 * Checkpoints: one `checkpoints` row per completed agent call, so that `patternbench run --resume`
 * continues an interrupted workflow without calling any agent twice.
 *
 * Ordering guarantee. A call's spans are handed to the sink while the call runs (its `invoke_agent`
 * span ends before the pipeline returns); its checkpoint is handed to the same sink right after.
 * Every SQLite sink buffers spans and auxiliary rows in arrival order and commits them in batches,
 * one transaction each, in order. So a committed checkpoint always has its spans committed (in the
 * same or an earlier transaction). The reverse can happen — a batch boundary between the spans and
 * the checkpoint — and is safe: the call has no checkpoint, so a resumed run calls it again, after
 * `harness/run/recovery/resume-cleanup.ts` has deleted every span of the unfinished workflow that does not
 * belong to a checkpointed call. Never write a checkpoint before its call's spans.
 */
import type { AgentCall, CallWorkflow, Usage } from '../../pipeline/call.ts';
import { HarnessError } from '../../kernel/errors.ts';
import type { CheckpointRecord } from '../../kernel/records.ts';
import type { ActiveSpan } from '../../kernel/tracer.ts';
import type { CallOutcome } from '../../../patterns/types.ts';
import type { RecordSink } from '../../../reports/store/sink.ts';

/**
 * Draws random streams had made when a call ended: `ids`, the trace's span ids (other calls in
 * flight may have drawn some), and `agents[agent][stream]` for the agents the call itself went to
 * (not others: a call in flight beside it has drawn part of what it will draw, and is made again).
 */
export interface StreamDraws {
  readonly ids: number;
  readonly agents: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** What replaying a checkpointed call must reproduce (a `checkpoints` row's columns, `checkpointOutcome`). */
export interface CheckpointOutcome {
  /** What the pattern got back (`status`, `output` or `errorType`/`message`). */
  readonly result: CallOutcome;
  /** Tokens of all the call's model attempts. */
  readonly usage: Usage;
  readonly costUsd: number;
  /** Agent calls it took: 1, plus any made on its behalf (a fallback). */
  readonly agentCalls: number;
  /** Model attempts they made (retries included). */
  readonly modelAttempts: number;
  /** How long the call took, virtual ms (a replay waits as long, so latencies stay faithful). */
  readonly durationMs: number;
  /** Their `invoke_agent` spans: these and their descendants are kept when the run resumes. */
  readonly spanIds: readonly string[];
  readonly draws: StreamDraws;
}

/** The columns of a `checkpoints` row, named as the fields of `CheckpointRecord` (without `runId`). */
export const CHECKPOINT_COLUMNS_SQL =
  'workflow_id AS workflowId, step, agent, time_ms AS timeMs, result, input_tokens AS inputTokens, output_tokens AS outputTokens, ' +
  'cached_tokens AS cachedTokens, cost_usd AS costUsd, agent_calls AS agentCalls, model_attempts AS modelAttempts, ' +
  'duration_ms AS durationMs, span_ids AS spanIds, draws';

/** What a `checkpoints` row (read with `CHECKPOINT_COLUMNS_SQL`, or as written) says replaying its call must reproduce. */
export function checkpointOutcome(row: Omit<CheckpointRecord, 'runId'>): CheckpointOutcome {
  return {
    result: JSON.parse(row.result) as CallOutcome,
    usage: { inputTokens: row.inputTokens, outputTokens: row.outputTokens, cachedTokens: row.cachedTokens },
    costUsd: row.costUsd,
    agentCalls: row.agentCalls,
    modelAttempts: row.modelAttempts,
    durationMs: row.durationMs,
    spanIds: JSON.parse(row.spanIds) as string[],
    draws: JSON.parse(row.draws) as StreamDraws,
  };
}

/** A checkpoint read back for replay. */
export interface Checkpoint {
  readonly step: number;
  readonly agent: string;
  readonly outcome: CheckpointOutcome;
}

/**
 * The checkpoints of one unfinished workflow, replayed by its `WorkflowState`: call `step` returns
 * the recorded outcome instead of calling the pipeline. Before the first call, the trace's id
 * stream and each agent's random streams skip ahead to the furthest point any checkpointed call
 * reached, so no new span reuses a kept span's id, and — when the calls ran one after another —
 * the calls after the checkpoints draw exactly what they would have drawn without the interruption.
 */
export class WorkflowReplay {
  readonly #byStep = new Map<number, Checkpoint>();
  readonly #agentDraws = new Map<string, Record<string, number>>();
  readonly idDraws: number;

  constructor(checkpoints: readonly Checkpoint[]) {
    let ids = 0;
    for (const checkpoint of checkpoints) {
      this.#byStep.set(checkpoint.step, checkpoint);
      const draws = checkpoint.outcome.draws;
      ids = Math.max(ids, draws.ids);
      for (const [agent, streams] of Object.entries(draws.agents)) {
        const furthest = this.#agentDraws.get(agent) ?? {};
        for (const [stream, count] of Object.entries(streams)) furthest[stream] = Math.max(furthest[stream] ?? 0, count);
        this.#agentDraws.set(agent, furthest);
      }
    }
    this.idDraws = ids;
  }

  /** The furthest draws of `agent`'s streams over all checkpoints; undefined when none. */
  agentDraws(agent: string): Readonly<Record<string, number>> | undefined {
    return this.#agentDraws.get(agent);
  }

  /** The checkpoint of call `step`, null when there is none; `RESUME_MISMATCH` when it called another agent. */
  take(step: number, agent: string, workflowId: number): Checkpoint | null {
    const checkpoint = this.#byStep.get(step);
    if (checkpoint === undefined) return null;
    if (checkpoint.agent !== agent) {
      throw new HarnessError(
        'RESUME_MISMATCH',
        `workflow ${workflowId} call ${step} went to '${checkpoint.agent}' before the interruption but to '${agent}' on resume: ` +
          'the scenario or the pattern changed since the run began',
      );
    }
    return checkpoint;
  }
}

/**
 * A run's checkpoints: saves one per completed agent call (when `save`) and hands each resumed
 * workflow its replay. Owned by the runner; one per run.
 */
export class RunCheckpoints {
  constructor(
    private readonly sink: RecordSink,
    /** Write checkpoints (default on; `--no-checkpoints` turns it off). */
    private readonly save: boolean,
    /** Checkpoints of the unfinished workflows of an interrupted run, by workflow id. */
    private readonly replays: ReadonlyMap<number, WorkflowReplay> = new Map(),
  ) {}

  /** The replay of workflow `workflowId`, with its trace's id stream skipped ahead; null when it has none. */
  replayOf(workflowId: number, root: ActiveSpan): WorkflowReplay | null {
    const replay = this.replays.get(workflowId);
    if (replay === undefined) return null;
    root.idStream().skipTo(replay.idDraws);
    return replay;
  }

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
