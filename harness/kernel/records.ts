/**
 * The rows a run produces. Spans are OpenTelemetry-shaped records (GenAI semantic conventions);
 * the SQLite sink stores them and the OTLP exporter converts them to `ReadableSpan`s.
 * Times are virtual milliseconds since the run's epoch (`RunRecord.epochMs`).
 */

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

/** A point-in-time annotation on a span (e.g. `gen_ai.evaluation.result`). */
export interface SpanEvent {
  readonly name: string;
  readonly timeMs: number;
  readonly attributes: Attributes;
}

/** One finished span. */
export interface SpanRecord {
  readonly runId: string;
  /** 32 lowercase hex characters, from the run's seeded id stream. */
  readonly traceId: string;
  /** 16 lowercase hex characters. */
  readonly spanId: string;
  /** Empty string for a root span. */
  readonly parentSpanId: string;
  /** Workflow the span belongs to (its sequence number in the run). */
  readonly workflowId: number;
  /** `invoke_workflow legal-review`, `invoke_agent extractor`, `chat gpt-x`, `execute_tool search`. */
  readonly name: string;
  readonly kind: 'internal' | 'client';
  readonly startMs: number;
  readonly endMs: number;
  readonly status: 'unset' | 'ok' | 'error';
  readonly statusMessage: string;
  /** All attributes, GenAI ones included (`gen_ai.operation.name`, `gen_ai.usage.input_tokens`, …). */
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
}

/** Outcome of a workflow. */
export type WorkflowStatus = 'completed' | 'failed';

/** What a workflow, or a checkpointed call, spent: tokens and cost of its model attempts, and its agent calls and attempts. */
export interface CallTotals {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number;
  readonly agentCalls: number;
  readonly modelAttempts: number;
}

/** One workflow: one case executed by one pattern inside a run. */
export interface WorkflowRecord extends CallTotals {
  readonly runId: string;
  readonly workflowId: number;
  readonly caseId: string;
  /** 0-based repeat index when a case runs several times (`--repeat`). */
  readonly repeat: number;
  readonly status: WorkflowStatus;
  /** When the load model meant it to start (virtual ms). */
  readonly intendedStartMs: number;
  readonly startMs: number;
  readonly endMs: number;
  /** endMs − intendedStartMs (coordinated-omission safe). */
  readonly latencyMs: number;
  /** endMs − startMs. */
  readonly serviceMs: number;
  /** null when the workflow failed before producing an output to score. */
  readonly correct: boolean | null;
  /** Scorer's score in [0, 1] (1/0 for exact label), null when not scored. */
  readonly score: number | null;
  /** `error.type` of the failure, null when completed. */
  readonly errorType: string | null;
  /** Name of the step (agent) that failed the workflow. */
  readonly failedStep: string | null;
  /** The workflow's final output, JSON-encoded. */
  readonly output: string | null;
  readonly traceId: string;
  /**
   * What the pattern recorded about this workflow (missing workers, conflicts, escalations, cache
   * hits, termination reason, …), JSON-encoded as `{"fanout.lost_updates": 2, …}`; null when none.
   */
  readonly facts: string | null;
  /**
   * The case's expected outcome (ground truth) as JSON, `{"label": "billing"}`, `{"findings": […]}`,
   * `{"value": 12.5}`, `{}` when the case has none; null when unknown (a trace from another service).
   */
  readonly expected: string | null;
}

/** One cell of the matrix: scenario × pattern × variant × seed. */
export interface RunRecord {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  /** Unix ms that virtual time 0 maps to (fixed, not the wall clock). */
  readonly epochMs: number;
  /** Compiled scenario as JSON, for reproduction. */
  readonly config: string;
  /** Wall-clock metadata (excluded from determinism checks). */
  readonly startedAt: string;
  /** `virtual` (discrete-event, the default) or `real` (wall clock, `--realtime`). */
  readonly clock?: 'virtual' | 'real';
  /** The load model as JSON; default `{}`. */
  readonly load?: string;
  /** `i/n` when this file holds shard i of n of the matrix; default ''. */
  readonly shard?: string;
}

/** One row of `histograms`: an HDR histogram of one metric of a run (see `harness/kernel/hdr.ts`). */
export interface HistogramRecord {
  readonly runId: string;
  /** `workflow.latency`, `workflow.service`, `queue.wait`, `harness.lag`. */
  readonly metric: string;
  /** '' for the whole run; the agent or resource name otherwise. */
  readonly scope: string;
  readonly count: number;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  readonly meanMs: number | null;
  /** HdrHistogram compressed base64 of integer microseconds. */
  readonly encoded: string;
}

/**
 * One row of `span_metrics`: exact aggregates of every span of a run with one operation, agent and
 * model, folded as each span ended (what the OpenTelemetry Collector's span-metrics connector
 * keeps). Rows of the same key add up exactly (`merge`): counts and sums add, the HDR histograms add.
 */
export interface SpanMetricsRecord {
  readonly runId: string;
  /** `gen_ai.operation.name`: `invoke_workflow`, `invoke_agent`, `chat`, `execute_tool`; '' for spans without one (a saga's `compensate`). */
  readonly operation: string;
  /** `gen_ai.agent.name`; '' when the spans carry none (the workflow's root). */
  readonly agentName: string;
  /** `gen_ai.request.model`; '' when the spans carry none. */
  readonly requestModel: string;
  /** Spans folded: agent calls on `invoke_agent` rows, model attempts on `chat` rows. */
  readonly spans: number;
  /** Spans with status `error`. */
  readonly errors: number;
  /** JSON object: spans with status `error` by `error.type` (`_OTHER` when they carry none), keys sorted; `{}` when none. */
  readonly errorTypes: string;
  /** Sum of `patternbench.attempts` (an agent call's model attempts). */
  readonly attempts: number;
  /** Sum of max(`patternbench.attempts` − 1, 0): the attempts after each call's first. */
  readonly retries: number;
  /** Spans carrying `patternbench.fallback` (agent calls answered by a fallback). */
  readonly fallbacks: number;
  /** Sums of `gen_ai.usage.input_tokens`, `.output_tokens`, `.cache_read.input_tokens`, `.reasoning.output_tokens`. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly reasoningTokens: number;
  /** Sum of `gen_ai.usage.cost.amount`, USD (only `chat` spans carry one). */
  readonly costUsd: number;
  /** Sum, least and greatest of the spans' durations, ms (each to the µs); min and max null when no span. */
  readonly durationSumMs: number;
  readonly durationMinMs: number | null;
  readonly durationMaxMs: number | null;
  /** HDR histogram of the durations (`harness/kernel/hdr.ts`), compressed base64 of integer µs. */
  readonly durationEncoded: string;
}

/** One row of `timeseries`: what happened in one window of a run's time. */
export interface WindowRecord {
  readonly runId: string;
  readonly windowStartMs: number;
  readonly windowMs: number;
  /** Workflows whose intended start fell in the window (dropped ones included). */
  readonly arrivals: number;
  readonly dropped: number;
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  readonly inFlightMax: number;
  readonly inFlightEnd: number;
  /** Latency percentiles of the workflows that ended in the window; null when none did. */
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  /** Agent calls that ended in the window. */
  readonly agentCalls: number;
  /** Model attempts that failed in the window. */
  readonly errors: number;
  /** Cost of the workflows that ended in the window. */
  readonly costUsd: number;
}

/** One row of `queue_series`: a shared resource's queue in one window. */
export interface QueueWindowRecord {
  readonly runId: string;
  readonly resource: string;
  readonly windowStartMs: number;
  readonly windowMs: number;
  readonly queueMax: number;
  readonly queueEnd: number;
  readonly admitted: number;
  readonly rejected: number;
  readonly waitP95Ms: number | null;
}

/** One row of `events`: something that happened in a run (breaker transition, budget alert, …). */
export interface EventRecord {
  readonly runId: string;
  readonly seq: number;
  readonly timeMs: number;
  readonly workflowId: number | null;
  readonly kind: string;
  readonly subject: string;
  readonly traceId: string | null;
  /** JSON object. */
  readonly detail: string;
}

/** One row of `dead_letters`: a workflow, or a compensation, that failed for good. */
export interface DeadLetterRecord {
  readonly runId: string;
  readonly seq: number;
  readonly timeMs: number;
  readonly kind: 'workflow' | 'compensation';
  readonly workflowId: number;
  readonly caseId: string;
  readonly repeat: number;
  /** The step (agent) that failed; null when the workflow failed as a whole. */
  readonly step: string | null;
  /** JSON: what is needed to retry it (the case input; for a compensation, the side effect). */
  readonly input: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly traceId: string;
  /** Set by `dlq replay`: the run and workflow that replayed it. */
  readonly replayedRunId: string | null;
  readonly replayedWorkflowId: number | null;
}

/** One row of `checkpoints`: a completed agent call of a workflow (harness/run/recovery/checkpoint.ts). */
export interface CheckpointRecord extends CallTotals {
  readonly runId: string;
  readonly workflowId: number;
  /** 0-based number of the call in its workflow, in the order the pattern issued calls. */
  readonly step: number;
  readonly agent: string;
  readonly timeMs: number;
  /** JSON: what the pattern got back (`status`, `output` or `errorType`/`message`). Its totals count any call made on its behalf. */
  readonly result: string;
  /** How long the call took, virtual ms. */
  readonly durationMs: number;
  /** JSON array: the `span_id`s of its `invoke_agent` spans. */
  readonly spanIds: string;
  /** JSON: the random streams' draws when it ended (`StreamDraws`, harness/run/recovery/checkpoint.ts). */
  readonly draws: string;
}

/**
 * One row of `recordings`: one model attempt's result as the agent returned it (`run --record`),
 * keyed so that `run --replay` finds it again: (case, repeat, agent, call index, attempt).
 */
export interface RecordingRecord {
  readonly runId: string;
  readonly workflowId: number;
  readonly caseId: string;
  readonly repeat: number;
  readonly agent: string;
  /** 0-based number of the call among this agent's calls in the workflow, in the order they reached it. */
  readonly callIndex: number;
  /** 1-based attempt of the call. */
  readonly attempt: number;
  /** When the attempt reached the agent (run clock ms). */
  readonly startMs: number;
  /** How long the agent took to answer, ms. */
  readonly latencyMs: number;
  /** Time to first token, ms; null when unknown. */
  readonly ttftMs: number | null;
  readonly status: 'ok' | 'error';
  readonly errorType: string | null;
  readonly errorMessage: string | null;
  readonly retryAfterMs: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  /** The attempt's output, JSON; null for an error. */
  readonly output: string | null;
  readonly provider: string;
  readonly requestModel: string;
}

/**
 * One row of `audit`: an agent call, an inter-agent message, a tool call or a masking decision.
 * Rows are hash-chained per run in `seq` order (harness/governance/audit.ts); the table is append-only.
 */
export interface AuditRecord {
  readonly runId: string;
  /** 0-based position in the run's chain. */
  readonly seq: number;
  /** Run clock ms (virtual time from the run's epoch). */
  readonly timeMs: number;
  readonly workflowId: number | null;
  /** The span the action belongs to (its `span_id`); '' when none. */
  readonly requestId: string;
  readonly traceId: string;
  /** Who acted: an agent, the pattern (orchestrator) or `harness`. */
  readonly actor: string;
  /** `agent.call`, `agent.message`, `tool.call`, `data.access`, … */
  readonly action: string;
  /** What was acted on: an agent or a tool. */
  readonly target: string;
  /** `allow`, `deny` or `mask`. */
  readonly decision: string;
  /** JSON object. */
  readonly detail: string;
  /** sha256(previous row's hash || canonical content of this row), hex. */
  readonly hash: string;
}

/** Rows beside spans and workflows, low in volume, written through `RecordSink.writeAux`. */
export type AuxRecord =
  | { readonly table: 'histograms'; readonly row: HistogramRecord }
  | { readonly table: 'span_metrics'; readonly row: SpanMetricsRecord }
  | { readonly table: 'timeseries'; readonly row: WindowRecord }
  | { readonly table: 'queue_series'; readonly row: QueueWindowRecord }
  | { readonly table: 'events'; readonly row: EventRecord }
  | { readonly table: 'dead_letters'; readonly row: DeadLetterRecord }
  | { readonly table: 'checkpoints'; readonly row: CheckpointRecord }
  | { readonly table: 'recordings'; readonly row: RecordingRecord }
  | { readonly table: 'audit'; readonly row: AuditRecord };
