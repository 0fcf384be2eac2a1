import type { AgentStreams } from '../kernel/agent-streams.ts';
import type { Cancellation, Clock } from '../kernel/clock.ts';
import type { Keyed } from '../kernel/keyed.ts';
import type { AttributeValue } from '../kernel/records.ts';
import type { ActiveSpan, RunTracer } from '../kernel/tracer.ts';
import type { CaseSpec, CompiledAgent, CompiledScenario, PatternName } from '../scenario/types.ts';
import type { AuditTrail } from '../governance/audit.ts';
import type { RunPrivacy } from '../governance/pii.ts';
import type { AgentInput, AgentOutput, CallOutcome } from '../../patterns/types.ts';
import type { RecordSink } from '../../reports/store/sink.ts';
import type { HardBudget, RunBudget } from './budget.ts';
import type { BreakerDecision, CircuitBreaker } from './circuit-breaker.ts';
import type { RunEvents } from './run-events.ts';
import type { RunResources } from './run-resources.ts';
import type { SharedResource } from './shared-resource.ts';

/** Tokens one model attempt consumed. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at the cached price). */
  readonly cachedTokens: number;
  /** Input tokens written to the provider's prompt cache, part of `inputTokens`; absent when not reported. */
  readonly cacheCreationTokens?: number;
  /** Output tokens spent on reasoning, part of `outputTokens`; absent when not reported. */
  readonly reasoningTokens?: number;
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
   * reaches `call.deadlineMs` (deadline propagation). The timeout stage then arms no timer of
   * its own; otherwise it races the attempt against a timer and fires `call.cancel`.
   */
  readonly honoursDeadline: boolean;
  /** Performs one model attempt of `call`. Must resolve (not reject) and should stop early when `call.cancel` fires. */
  invoke(call: AgentCall): Promise<AttemptResult>;
}

/**
 * The state of one agent call as it travels through the pipeline's stages. Stages read the request
 * fields and fill in the span and accounting fields, and keep here what they hand from their
 * `enter` to their `exit` (harness/pipeline/pipeline.ts); the call is created once per agent call.
 */
export class AgentCall {
  /** The `invoke_agent` span, set by the agent-span stage. */
  span: ActiveSpan | null = null;
  /** The current model attempt's `chat` span, set by the attempt-span stage. */
  attemptSpan: ActiveSpan | null = null;
  /** 1-based number of the attempt in progress. */
  attempt = 0;
  /** Fires when the current attempt must stop (timeout); set by the timeout stage. */
  cancel: Cancellation | null = null;
  /** Clock time by which the current attempt must end; set by the timeout stage. */
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
   * sanitise stage (harness/pipeline/interceptors/sanitise.ts) before the first attempt.
   */
  injected = false;
  /**
   * The case input as this call's agent sees it: fields with a data class it does not `need`
   * replaced by tokens; set by the pii-mask stage (harness/pipeline/interceptors/pii-mask.ts). null =
   * the case input as is.
   */
  caseInput: Readonly<Record<string, unknown>> | null = null;
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  costUsd = 0;
  /** Clock time the call entered the pipeline (its `invoke_agent` span's start); set by the agent-span stage. */
  startMs = 0;
  /**
   * While the budget stage holds the call: the input as handed to it, whose `cancel` it linked to
   * the call's own cut (`input.cancel` then being that cut); null otherwise.
   */
  uncutInput: AgentInput | null = null;
  /** The breaker's decision for this call (`call` or `probe`); null when the agent has no breaker. */
  breakerDecision: BreakerDecision | null = null;
  /** The concurrency-pool slot the current attempt holds, given back when it ends; null when none. */
  heldSlot: SharedResource | null = null;
  /**
   * The span its `invoke_agent` span goes under: the `invoke_workflow` span of the nested pattern
   * that made the call (patterns/nested-workflow.ts); null = the workflow's root span.
   */
  parentSpan: ActiveSpan | null = null;
  /**
   * Multiplier of the call's chance of being right: pieces of state a retrieval missed
   * (harness/pipeline/state/retrieval.ts); 1 = none.
   */
  accuracyFactor = 1;

  constructor(
    readonly agent: CompiledAgent,
    /** What the pattern handed in; boundary stages (pii-mask, sanitise) may replace it with a masked copy. */
    public input: AgentInput,
    readonly workflow: CallWorkflow,
  ) {}
}

/**
 * What a call sees of the run it belongs to: everything one run (one cell of the matrix) shares
 * that the pipeline's stages, governance and agents use. The runner's `RunContext`
 * (harness/run/run-context.ts) extends it with what only the run itself needs.
 */
export interface CallRun {
  readonly runId: string;
  readonly scenario: CompiledScenario;
  readonly pattern: PatternName;
  readonly variant: string;
  /** The run's seed; every random stream is derived from it. */
  readonly seed: number;
  readonly clock: Clock;
  readonly tracer: RunTracer;
  /** Agents by name (simulated or real). */
  readonly agents: ReadonlyMap<string, Agent>;
  /** The call pipeline: its stages composed around the agents (harness/pipeline/pipeline.ts). */
  readonly pipeline: (call: AgentCall) => Promise<AttemptResult>;
  /** Shared resources: provider rate limits and agent concurrency pools. */
  readonly resources: RunResources;
  /** Circuit breakers, per agent (created on first use). */
  readonly breakers: Keyed<string, CircuitBreaker>;
  /** Token and cost budgets of the run (and fresh per-workflow meters). */
  readonly budget: RunBudget;
  /** The run's events (rows of `events`, span events). */
  readonly events: RunEvents;
  /** Where the run's rows go (spans pass through `tracer`). */
  readonly sink: RecordSink;
  /** The run's hash-chained audit trail (rows of `audit`, harness/governance/audit.ts); absent = none. */
  readonly audit?: AuditTrail;
  /** Data classes of case fields, masking and residency (harness/governance/pii.ts); absent or null = none. */
  readonly privacy?: RunPrivacy | null;
}

/**
 * What a call sees of its workflow. `WorkflowState` (harness/run/workflow-state.ts) implements it;
 * stages, agents and recovery depend on this contract rather than on the run's classes, so no
 * import goes up the layers and none goes round in a circle.
 */
export interface CallWorkflow<R extends CallRun = CallRun> {
  readonly run: R;
  readonly scenario: CompiledScenario;
  readonly caseSpec: CaseSpec;
  /** 0-based repeat index of the case (`--repeat`). */
  readonly repeat: number;
  readonly workflowId: number;
  /** The `invoke_workflow` root span. */
  readonly root: ActiveSpan;
  /** Clock time by which the workflow must end (`workflowTimeout`); Infinity when unlimited. */
  readonly deadlineMs: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
  agentCalls: number;
  modelAttempts: number;
  /** The last call that failed for good, for the workflow's dead letter; null when none did. */
  lastFailure: { readonly agent: string; readonly errorType: string; readonly message: string } | null;
  /**
   * This workflow's hard budgets (`budgets.workflow` and the pattern's own limits), created on
   * first use: their stop fires `budget.halt`, which cuts the workflow's calls in flight.
   */
  readonly budget: HardBudget;
  /** The budget that stopped this workflow (`workflow.tokens`, `run.cost_usd`, `supervisor.tokens`, …); null while none has. */
  budgetStop(): string | null;
  now(): number;
  /** Records a fact of the workflow as an attribute of its root span. */
  record(key: string, value: AttributeValue): void;
  /** The random streams of `agent` in this workflow. */
  streams(agent: string): AgentStreams;
  /** Draws made so far by the streams of each of `agents` (saved with checkpoints). */
  streamDraws(agents: readonly string[]): Record<string, Record<string, number>>;
  /** Calls `agent` through the pipeline as is (no step numbering); `parent` is the call it stands in for. */
  callAgent(agent: CompiledAgent, input: AgentInput, parent?: AgentCall): Promise<CallOutcome>;
}
