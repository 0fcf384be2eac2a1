import { AgentCall, type AttemptResult, type CallWorkflow } from '../pipeline/call.ts';
import { AgentStreams } from '../kernel/agent-streams.ts';
import type { Cancellation } from '../kernel/clock.ts';
import { HarnessError } from '../kernel/errors.ts';
import type { Attributes, AttributeValue } from '../kernel/records.ts';
import type { RunContext } from './run-context.ts';
import { sideEffectOf, type SideEffect } from './recovery/side-effect.ts';
import { mixSeed } from '../kernel/rng.ts';
import { BudgetMeter, DEFAULT_ALERT_AT, emitBudgetCrossing, type HardBudget } from '../pipeline/budget.ts';
import type { CaseSpec, CompiledAgent, CompiledScenario } from '../scenario/types.ts';
import type { ActiveSpan, AttributeSource } from '../kernel/tracer.ts';
import type { AgentInput, CallOutcome, NestedScope, WorkflowContext, WorkflowOutcome } from '../../patterns/types.ts';

/**
 * One workflow in flight: its case, its root span, its running totals, its random streams and the
 * facts its pattern recorded. It is also the `WorkflowContext` the executor sees (one object per
 * workflow, no closures).
 * Streams are derived from (run seed, case, repeat, agent, stream name) — not from the pattern — so
 * two patterns run on the same case see the same draws for the same agent (common random numbers:
 * a fairer comparison), and no stream shifts when another consumer is added.
 */
export class WorkflowState implements WorkflowContext, CallWorkflow<RunContext>, AttributeSource {
  /** Facts the pattern recorded (`record`), keyed `<pattern>.<fact>`; null when none. */
  facts: Attributes | null = null;
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  costUsd = 0;
  agentCalls = 0;
  modelAttempts = 0;
  /** Saga: side effects done (calls of agents with a `compensation:`), in order of completion; null when none. */
  sideEffects: SideEffect[] | null = null;
  /** The last call that failed for good, for the workflow's dead letter; null when none did. */
  lastFailure: { readonly agent: string; readonly errorType: string; readonly message: string } | null = null;
  readonly #seed: number;
  /** The streams of each agent called so far, the last one first; null until the first. */
  #streams: AgentStreamsEntry | null = null;
  #budget: HardBudget | null = null;
  /** Number of the next `call` (checkpoint step): 0-based, in the order the pattern issued them. */
  #step = 0;
  /** Calls made on behalf of a numbered call (`callAgent` with a parent), for its checkpoint. */
  #nested: WeakMap<AgentCall, AgentCall[]> | null = null;
  /** Clock time by which the workflow must end (`workflowTimeout`); Infinity when unlimited. */
  readonly deadlineMs: number;
  /** The workflow's root span (`invoke_workflow {scenario}`), started with the workflow. */
  readonly root: ActiveSpan;

  /** Starts workflow `workflowId` (the case's repeat `repeat`) and its root span at `startMs`, the clock's time. */
  constructor(
    readonly run: RunContext,
    readonly caseSpec: CaseSpec,
    readonly repeat: number,
    readonly workflowId: number,
    startMs: number,
  ) {
    // Signed, as `mixSeed` reads it unsigned: a small integer needs no heap number per workflow.
    this.#seed = mixSeed(run.seed, run.keys.of(caseSpec.id), repeat) | 0;
    const limit = run.scenario.workflowTimeoutMs;
    this.deadlineMs = limit === null ? Infinity : startMs + limit;
    // Its attributes are made when first touched (`spanAttributes`): most workflows touch them only at their end.
    this.root = run.tracer.startTraceFrom(run.rootSpanName, workflowId, startMs, this);
  }

  /** The attributes the root span starts with. Every key is present from the start, so every root span has one object shape. */
  spanAttributes(): Attributes {
    const caseSpec = this.caseSpec;
    const repeat = this.repeat;
    // A session (a conversation) groups the traces of one case: its repeats, and its runs under other patterns.
    const session = repeat === 0 ? caseSpec.id : `${caseSpec.id}#${repeat}`;
    return {
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': this.run.scenario.name,
      'gen_ai.conversation.id': session,
      // The same, under the name OpenInference and Langfuse group sessions by.
      'session.id': session,
      'patternbench.case_id': caseSpec.id,
      'patternbench.repeat': repeat,
      'patternbench.expected': this.run.expectedJson.of(caseSpec),
      // Filled in at the end. Token totals only: the cost is on the model attempts' `chat` spans (nothing is counted twice).
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'patternbench.agent_calls': 0,
      'patternbench.status': '',
    };
  }

  get scenario(): CompiledScenario {
    return this.run.scenario;
  }

  get case(): CaseSpec {
    return this.caseSpec;
  }

  now(): number {
    return this.run.clock.now();
  }

  sleep(ms: number, cancel?: Cancellation): Promise<boolean> {
    return this.run.clock.sleep(ms, cancel);
  }

  usage(): { readonly tokens: number; readonly costUsd: number } {
    return { tokens: this.inputTokens + this.outputTokens, costUsd: this.costUsd };
  }

  record(key: string, value: AttributeValue): void {
    this.root.attributes[key] = value;
    (this.facts ??= {})[this.run.factKeys.of(key)] = value;
  }

  /**
   * Calls `agentName` through the run's call pipeline; agent failures come back as values. No
   * async frame of its own: while the call is in flight, the pipeline's is the only one it adds.
   * `parentSpan`: the nested pattern's span its `invoke_agent` span goes under (`nest`); default the root.
   */
  call(agentName: string, input: AgentInput, parentSpan: ActiveSpan | null = null): Promise<CallOutcome> {
    const agent = this.run.scenario.agents.get(agentName);
    if (agent === undefined) {
      return Promise.reject(new HarnessError('AGENT_UNKNOWN', `pattern ${this.run.pattern} called agent '${agentName}', which the scenario does not define`));
    }
    const call = new AgentCall(agent, input, this);
    call.parentSpan = parentSpan;
    this.#entry(agentName).calls++;
    const step = this.#step++;
    const startMs = this.now();
    return this.run.pipeline(call).then((result) => this.#ended(call, step, startMs, result));
  }

  /** What call `step` (started at `startMs`) leaves once it has ended with `result`: its checkpoint, its side effect, the workflow's last failure. */
  #ended(call: AgentCall, step: number, startMs: number, result: AttemptResult): CallOutcome {
    this.#callEnded(this.#entry(call.agent.name));
    const outcome = this.#outcomeOf(result);
    // Once complete, the call is checkpointed after its spans (harness/run/recovery/checkpoint.ts).
    this.run.checkpoints?.record(this, step, [call, ...(this.#nested?.get(call) ?? [])], outcome, startMs);
    // Saga: a side effect to undo should the workflow fail (harness/run/recovery/saga.ts).
    const sideEffect = outcome.status === 'ok' ? sideEffectOf(call, outcome.output, this.now()) : null;
    if (sideEffect !== null) (this.sideEffects ??= []).push(sideEffect);
    if (outcome.status === 'failed') this.lastFailure = { agent: call.agent.name, errorType: outcome.errorType, message: outcome.message };
    return outcome;
  }

  /** Draws made so far by the streams of each of `agents` in this workflow (saved with checkpoints). */
  streamDraws(agents: readonly string[]): Record<string, Record<string, number>> {
    const draws: Record<string, Record<string, number>> = {};
    for (const agent of agents) {
      const streams = this.#streamsOf(agent);
      if (streams !== null) draws[agent] = streams.draws();
    }
    return draws;
  }

  /**
   * Calls `agent` through the run's call pipeline as is (no step numbering): fallbacks use it.
   * Pass the call it stands in for as `parent`, so that its checkpoint counts this call too.
   */
  async callAgent(agent: CompiledAgent, input: AgentInput, parent?: AgentCall): Promise<CallOutcome> {
    const nested = new AgentCall(agent, input, this);
    if (parent !== undefined) {
      const calls = (this.#nested ??= new WeakMap()).get(parent);
      if (calls === undefined) this.#nested.set(parent, [nested]);
      else calls.push(nested);
    }
    const streams = this.#entry(agent.name);
    streams.calls++;
    const result = await this.run.pipeline(nested);
    this.#callEnded(streams);
    return this.#outcomeOf(result);
  }

  /**
   * One of the calls in flight of the agent whose streams are `streams` has ended. Once its first
   * call has ended and none is in flight, its streams' generators can go until it is called again
   * (`AgentStreams.park`). Only after the first: an agent called again is likely to be called more
   * (a supervisor's workers), and making its generators anew each time would cost more than it saves.
   */
  #callEnded(streams: AgentStreamsEntry): void {
    streams.calls--;
    if (++streams.ended === 1 && streams.calls === 0) streams.park();
  }

  /**
   * What the pattern sees of a call's result. A call a budget cut (its spans say `cancelled`)
   * failed for the budget, as a refused one does: `budget_exceeded`.
   */
  #outcomeOf(result: AttemptResult): CallOutcome {
    if (result.status === 'error' && result.errorType === 'cancelled' && this.budgetStop() !== null) {
      return { status: 'failed', errorType: 'budget_exceeded', message: result.message };
    }
    return outcomeOf(result);
  }

  /** Opens a nested pattern's `invoke_workflow {name}` span under `parent` (default the root): see `NestedScope`. */
  nest(name: string, parent: ActiveSpan = this.root): NestedScope {
    return openNestedScope(this, name, parent);
  }

  meter(owner: string, metric: string, limit: number): { update(consumed: number): boolean } {
    const meter = new BudgetMeter(metric, limit, this.run.scenario.budgets?.alertAt ?? DEFAULT_ALERT_AT);
    return {
      update: (consumed) => {
        for (const crossing of meter.update(consumed)) emitBudgetCrossing(this.run.events, crossing, owner, meter, this.now(), this.root);
        return meter.exhausted;
      },
    };
  }

  /** This workflow's hard budgets (`budgets.workflow` and the pattern's limits), created on first use. */
  get budget(): HardBudget {
    return (this.#budget ??= this.run.budget.forWorkflow());
  }

  budgetStop(): string | null {
    return this.#budget?.stoppedBy ?? this.run.budget.run.stoppedBy;
  }

  /** The streams of `agent` in this workflow. */
  streams(agent: string): AgentStreams {
    return this.#entry(agent);
  }

  /** The streams of `agent`, made on first use. */
  #entry(agent: string): AgentStreamsEntry {
    let entry = this.#streamsOf(agent);
    if (entry === null) {
      entry = new AgentStreamsEntry(mixSeed(this.#seed, this.run.keys.of(agent)), agent, this.#streams);
      this.#streams = entry;
    }
    return entry;
  }

  /** The streams of `agent` if they have been made; else null. */
  #streamsOf(agent: string): AgentStreamsEntry | null {
    let entry = this.#streams;
    while (entry !== null && entry.agent !== agent) entry = entry.next;
    return entry;
  }
}

/**
 * An agent's streams in one workflow, linked to those of the agent called before it. A workflow
 * calls a few agents, so a list is found as fast as a `Map` and costs less: ~200 B for a `Map` and
 * its table per workflow in flight, 16 B per agent for the list. `calls` counts the agent's calls in
 * flight (`call`, `callAgent`: any of them may hold a generator) and `ended` those ended
 * (`#callEnded` parks the streams).
 */
class AgentStreamsEntry extends AgentStreams {
  calls = 0;
  ended = 0;

  constructor(
    seed: number,
    readonly agent: string,
    readonly next: AgentStreamsEntry | null,
  ) {
    super(seed);
  }
}

/** What a pattern sees of the pipeline's result: the output, or why the call failed. */
function outcomeOf(result: AttemptResult): CallOutcome {
  return result.status === 'ok' ? { status: 'ok', output: result.output } : { status: 'failed', errorType: result.errorType, message: result.message };
}

/**
 * Opens the `invoke_workflow {name}` span of a pattern nested in a hybrid (`sequential.steps[1].fanout`)
 * under `parent`, and returns the context whose calls, and whose own nested patterns, go under it.
 * The span carries the nested pattern's name as `gen_ai.workflow.name` and, when it failed, its
 * `error.type`; token totals stay on the root and cost on the `chat` spans (nothing counted twice).
 */
function openNestedScope(host: WorkflowState, name: string, parent: ActiveSpan): NestedScope {
  const tracer = host.run.tracer;
  const span = tracer.startChild(parent, `invoke_workflow ${name}`, 'internal', host.now(), {
    'gen_ai.operation.name': 'invoke_workflow',
    'gen_ai.workflow.name': name,
  });
  return {
    workflow: new ScopedWorkflow(host, span),
    end: (outcome: WorkflowOutcome) => {
      if (outcome.status === 'failed') span.setError(outcome.errorType, `step ${outcome.failedStep} failed: ${outcome.errorType}`);
      tracer.end(span, host.now());
    },
  };
}

/** The workflow as a nested pattern sees it: everything its host's, but its calls go under `span`. */
class ScopedWorkflow implements WorkflowContext {
  constructor(
    private readonly host: WorkflowState,
    private readonly span: ActiveSpan,
  ) {}

  get scenario(): CompiledScenario {
    return this.host.scenario;
  }
  get case(): CaseSpec {
    return this.host.case;
  }
  get repeat(): number {
    return this.host.repeat;
  }
  call(agent: string, input: AgentInput): Promise<CallOutcome> {
    return this.host.call(agent, input, this.span);
  }
  nest(name: string): NestedScope {
    return this.host.nest(name, this.span);
  }
  now(): number {
    return this.host.now();
  }
  meter(owner: string, metric: string, limit: number): { update(consumed: number): boolean } {
    return this.host.meter(owner, metric, limit);
  }
  sleep(ms: number, cancel?: Cancellation): Promise<boolean> {
    return this.host.sleep(ms, cancel);
  }
  usage(): { readonly tokens: number; readonly costUsd: number } {
    return this.host.usage();
  }
  budgetStop(): string | null {
    return this.host.budgetStop();
  }
  record(key: string, value: AttributeValue): void {
    this.host.record(key, value);
  }
  streams(agent: string): AgentStreams {
    return this.host.streams(agent);
  }
}
