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

/** One workflow: one case executed by one pattern inside a run. */
export interface WorkflowRecord {
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
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number;
  readonly agentCalls: number;
  readonly modelAttempts: number;
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
}
