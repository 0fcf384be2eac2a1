import type { AgentStreams } from '../harness/kernel/agent-streams.ts';
import type { Cancellation } from '../harness/kernel/clock.ts';
import type { AttributeValue } from '../harness/kernel/records.ts';
import type { AgentReference, PatternConfig } from '../harness/scenario/pattern-config.ts';
import type { CaseSpec, CompiledScenario, PatternName } from '../harness/scenario/types.ts';

export type { AgentReference };

/** What an agent call produced (simulated or real); scorers judge the workflow's final one. */
export interface AgentOutput {
  /** Agent that produced it. */
  readonly agent: string;
  /** The answer of a classification workflow. */
  readonly label?: string;
  /** Findings detected (set-valued workflows). */
  readonly findings?: readonly string[];
  /** A numeric answer. */
  readonly value?: number;
  /** The agent's self-reported confidence in [0, 1]. */
  readonly confidence?: number;
  /** Size of this output in tokens: what handing it on costs the next agent. */
  readonly tokens: number;
  /** A reviewer's verdict on the result it was asked to review (`task.kind = 'review'`). */
  readonly verdict?: 'accept' | 'reject';
  /** Follow-up subtasks a planner decided to add (`task.kind = 'plan'`), by name. */
  readonly plan?: readonly string[];
  /** A specialist handed a request outside its domain and sent it back for re-routing (`task.kind = 'handle'`). */
  readonly sendBack?: boolean;
  /** Conflicts between merged results left unresolved (fan-out `concat`): they count against accuracy. */
  readonly conflicts?: number;
  /** The output is malformed (a `malformedOutput` fault): it carries no answer and breaks any output schema. */
  readonly malformed?: boolean;
  /** A degraded result from a fallback (`fallback: { result: … }`), not from the agent itself. */
  readonly degraded?: boolean;
  /** The output carries forward an injected instruction the agent read (harness/governance/trust.ts). */
  readonly injected?: boolean;
  /**
   * Case input fields with a data class as the agent read them, echoed into its answer (a summary
   * quoting the customer's name): unmasked only where the agent `needs` them. Absent when none.
   */
  readonly echo?: Readonly<Record<string, unknown>>;
}

/** A subtask a planner may add: its name and the findings domains it covers. */
export interface PlanCandidate {
  readonly name: string;
  /** Findings domains (the part of a finding before `:`) the subtask covers. */
  readonly scope: readonly string[];
}

/**
 * What a pattern asks of one agent call. Real agents receive it as part of their instructions;
 * simulated agents act it out (see `harness/agents/simulated-agent.ts`). Default `{ kind: 'answer' }`.
 */
export type AgentTask =
  /**
   * Produce the workflow's answer (a label, findings, a value), or carry forward the upstream
   * findings. `scope` limits findings to these domains; `exclude` lists labels ruled out (a
   * re-classification after a send-back).
   */
  | { readonly kind: 'answer'; readonly scope?: readonly string[]; readonly exclude?: readonly string[] }
  /**
   * A specialist handling a routed request. `domain` = the labels it is built for (null: a
   * generalist, handles anything); `canSendBack` = it may return an out-of-domain request once.
   */
  | { readonly kind: 'handle'; readonly domain: readonly string[] | null; readonly canSendBack: boolean }
  /** Resolve the conflicts between the upstream outputs into one answer. */
  | { readonly kind: 'reconcile' }
  /** Judge whether `subject` is right (within `scope` for findings); answers with `verdict`. */
  | { readonly kind: 'review'; readonly subject: AgentOutput; readonly scope?: readonly string[] }
  /** Read the ledger and decide which of `candidates` (gaps) need a follow-up; answers with `plan`. */
  | { readonly kind: 'plan'; readonly candidates: readonly PlanCandidate[] };

/** What a pattern hands to an agent call. */
export interface AgentInput {
  /** Tokens passed in by the pattern (case input, prior outputs), on top of the agent's own prompt. */
  readonly tokens: number;
  /** Outputs of earlier agents this call builds on; empty for a call that reads only the case. */
  readonly upstream: readonly AgentOutput[];
  /** What the call is asked to do. Default `{ kind: 'answer' }`. */
  readonly task?: AgentTask;
  /** Tools the call may use on top of the agent's own (a single agent given every tool). Default none. */
  readonly tools?: readonly string[];
  /**
   * Ends the call early when fired (a fan-out deadline or quorum, a supervisor's time bound): the
   * attempt in flight stops, billed for what it used so far (its input, and the output streamed up
   * to the cut), and the call fails with `error.type = cancelled`, which is never retried. A budget
   * stop cuts calls the same way (harness/pipeline/interceptors/budget.ts).
   */
  readonly cancel?: Cancellation;
  /** Set on a speculative call (a chain step started on a predicted input, patterns/speculation.ts). Default none. */
  readonly speculation?: SpeculativeCall;
}

/**
 * What a speculative call draws from and reports back: a simulated agent draws from `streams` (a
 * fork of its own in the workflow) instead of the workflow's; the agent-span stage marks its span
 * `patternbench.speculative` and fills in what the call used, so the pattern can count it as waste.
 */
export interface SpeculativeCall {
  readonly streams: AgentStreams;
  /** Input + output tokens of the call, all attempts; filled in when its span ends. */
  tokens: number;
  /** Its cost in US dollars; filled in when its span ends. */
  costUsd: number;
}

/** Result of one agent call after the whole call pipeline (retries included). A value, never thrown. */
export type CallOutcome =
  | { readonly status: 'ok'; readonly output: AgentOutput }
  | { readonly status: 'failed'; readonly errorType: string; readonly message: string };

/** What an executor sees of its workflow: the case, and the one way to reach agents. */
export interface WorkflowContext {
  readonly scenario: CompiledScenario;
  readonly case: CaseSpec;
  /** 0-based repeat index of this case (`--repeat`). */
  readonly repeat: number;
  /** Calls `agent` through the shared call pipeline. Agent failures come back as `status: 'failed'`. */
  call(agent: string, input: AgentInput): Promise<CallOutcome>;
  /** Current time on the run's clock, milliseconds. */
  now(): number;
  /**
   * A limit of the pattern's own (a supervisor's rounds, tokens, time), metered like the scenario's
   * budgets: `update(consumed)` emits `budget.alert` at the scenario's `alertAt` share (default
   * 70 %) and `budget.stop` at 100 % (each once, subject `<owner>.<metric>`) and returns true once
   * the limit is reached.
   */
  meter(owner: string, metric: string, limit: number): { update(consumed: number): boolean };
  /**
   * Waits `ms` on the run's clock (virtual or real). Resolves `true` when the time elapsed, `false`
   * when `cancel` fired first. Never rejects. For deadlines and scheduled waits.
   */
  sleep(ms: number, cancel?: Cancellation): Promise<boolean>;
  /** Tokens (input + output) and cost the workflow has used so far, all calls included. */
  usage(): { readonly tokens: number; readonly costUsd: number };
  /**
   * The budget that stopped this workflow, as `<scope>.<metric>` (`workflow.tokens`,
   * `run.cost_usd`, or a limit the pattern declared, e.g. `supervisor.tokens`); null while none has.
   * Once one has, the calls that were in flight have been cut (`cancelled`) and every later call is
   * refused (`budget_exceeded`): a pattern checks it to end the workflow.
   */
  budgetStop(): string | null;
  /**
   * Records a fact of this workflow as an attribute of its `invoke_workflow` root span
   * (`patternbench.<pattern>.<fact>`: missing workers, conflicts, escalations, termination reason…).
   * Write `key` out whole, not built per workflow: a fresh string used as a property name costs a
   * string-table lookup each time (4.2 µs a workflow for the router's facts, 0.7 µs written out).
   */
  record(key: string, value: AttributeValue): void;
  /**
   * The random streams of `agent` in this workflow (or of any other name: a pattern's own draws).
   * Optional: a context without it gets no speculation (patterns/speculation.ts).
   */
  streams?(agent: string): AgentStreams;
  /**
   * Opens the `invoke_workflow {name}` span of a pattern nested in this workflow's (a hybrid's
   * `sequential.steps[1].fanout`), as a child of the span this context's calls go under: the
   * calls of `scope.workflow` go under it, and `scope.end` closes it with the nested pattern's
   * outcome. Optional: where it is absent (a context that keeps no spans of its own), a nested
   * pattern's calls go where its parent's go, and only its facts tell its path.
   */
  nest?(name: string): NestedScope;
}

/** A nested pattern's span, open: what its calls go through, and how it is closed. */
export interface NestedScope {
  /** The context whose calls nest under the span. */
  readonly workflow: WorkflowContext;
  /** Ends the span with the nested pattern's outcome (`error.type` when it failed). */
  end(outcome: WorkflowOutcome): void;
}

/** How a workflow ended. */
export type WorkflowOutcome =
  | { readonly status: 'completed'; readonly output: AgentOutput }
  | {
      readonly status: 'failed';
      /** `error.type` of the failure that ended it. */
      readonly errorType: string;
      /** The step (agent) that failed. */
      readonly failedStep: string;
      /** Last good output, if any. */
      readonly output: AgentOutput | null;
    };

/** A pattern's control flow: decides what to call next. Everything around a call belongs to the pipeline. */
export interface Executor {
  readonly pattern: PatternName;
  /** Runs one workflow. Must not throw for agent failures: return `status: 'failed'`. */
  run(workflow: WorkflowContext): Promise<WorkflowOutcome>;
}

/** A hard limit a pattern's configuration puts on each workflow (a supervisor's `tokenBudget`). */
export interface PatternLimit {
  /** `tokens` (input + output) or `cost_usd`. */
  readonly metric: 'tokens' | 'cost_usd';
  readonly limit: number;
}

/** Everything the harness needs to know about a pattern. */
export interface PatternDefinition<C = unknown> extends PatternConfig<C> {
  /** Builds the executor for one run. */
  create(config: C, scenario: CompiledScenario): Executor;
  /**
   * Hard limits of the pattern's own on each workflow. The call pipeline enforces them like
   * `budgets.workflow` (events about `<pattern>.<metric>`; a crossing cuts the calls in flight, a
   * call that cannot fit is refused) and `WorkflowContext.budgetStop` reports the stop. Default none.
   */
  limits?(config: C): readonly PatternLimit[];
}
