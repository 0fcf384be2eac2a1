import type { Cancellation } from '../kernel/clock.ts';
import type { CompiledAgent } from '../scenario/types.ts';
import type { ActiveSpan } from '../kernel/tracer.ts';
import type { AgentInput, AgentOutput } from '../../patterns/types.ts';
import type { WorkflowState } from '../run/workflow-state.ts';

/** Tokens one model attempt consumed. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at the cached price). */
  readonly cachedTokens: number;
}

export const NO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, cachedTokens: 0 });

/** How one model attempt ended: a value, never an exception. */
export type AttemptResult =
  | { readonly status: 'ok'; readonly output: AgentOutput; readonly usage: Usage }
  | {
      readonly status: 'error';
      /** `error.type`: `error`, `timeout`, `rate_limit`, `context_length_exceeded`, … */
      readonly errorType: string;
      readonly message: string;
      readonly usage: Usage;
      /** A 429's retry-after, milliseconds; null when none was given. */
      readonly retryAfterMs: number | null;
    };

/** Something that answers agent calls: a simulated agent, an HTTP agent, a scripted test double. */
export interface Agent {
  readonly name: string;
  /**
   * True when the agent ends an attempt itself, as `error.type = timeout`, once the run's clock
   * reaches `call.deadlineMs` (deadline propagation). The timeout interceptor then arms no timer of
   * its own; otherwise it races the attempt against a timer and fires `call.cancel`.
   */
  readonly honoursDeadline: boolean;
  /** Performs one model attempt of `call`. Must resolve (not reject) and should stop early when `call.cancel` fires. */
  invoke(call: AgentCall): Promise<AttemptResult>;
}

/**
 * The state of one agent call as it travels through the interceptors. Interceptors read the
 * request fields and fill in the span and accounting fields; the call is created once per agent call.
 */
export class AgentCall {
  /** The `invoke_agent` span, set by the agent-span interceptor. */
  span: ActiveSpan | null = null;
  /** The current model attempt's `chat` span, set by the attempt-span interceptor. */
  attemptSpan: ActiveSpan | null = null;
  /** 1-based number of the attempt in progress. */
  attempt = 0;
  /** Fires when the current attempt must stop (timeout); set by the timeout interceptor. */
  cancel: Cancellation | null = null;
  /** Clock time by which the current attempt must end; set by the timeout interceptor. */
  deadlineMs = Infinity;
  /** False once a stage decided the call must not be retried (a contract with `onViolation: fail`). */
  retryable = true;
  /**
   * A saga compensation undoing a side effect of a failed workflow: it must go out even when the
   * workflow's time or budget is spent (its tokens and cost still count).
   */
  compensating = false;
  /**
   * What the call reads carries an injected instruction that got past the sanitiser; set by the
   * sanitise interceptor (harness/pipeline/interceptors/sanitise.ts) before the first attempt.
   */
  injected = false;
  /**
   * The case input as this call's agent sees it: fields with a data class it does not `need`
   * replaced by tokens; set by the pii-mask interceptor (harness/pipeline/interceptors/pii-mask.ts). null =
   * the case input as is.
   */
  caseInput: Readonly<Record<string, unknown>> | null = null;
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  costUsd = 0;

  constructor(
    readonly agent: CompiledAgent,
    /** What the pattern handed in; boundary stages (pii-mask, sanitise) may replace it with a masked copy. */
    public input: AgentInput,
    readonly workflow: WorkflowState,
  ) {}
}
