import { AgentCall, type AttemptResult, type CallWorkflow } from '../pipeline/call.ts';
import { AgentStreams } from '../kernel/agent-streams.ts';
import type { Cancellation } from '../kernel/clock.ts';
import { HarnessError } from '../kernel/errors.ts';
import type { Attributes, AttributeValue } from '../kernel/records.ts';
import type { RunContext } from './run-context.ts';
import { sideEffectOf, type SideEffect } from './recovery/side-effect.ts';
import type { CheckpointOutcome, WorkflowReplay } from './recovery/checkpoint.ts';
import { mixSeed } from '../kernel/rng.ts';
import { BudgetMeter, DEFAULT_ALERT_AT, emitBudgetCrossing } from '../pipeline/budget.ts';
import type { CaseSpec, CompiledAgent, CompiledScenario } from '../scenario/types.ts';
import type { ActiveSpan } from '../kernel/tracer.ts';
import type { AgentInput, CallOutcome, WorkflowContext } from '../../patterns/types.ts';

/** Pattern facts are root-span attributes `patternbench.<pattern>.<fact>`; rows keep `<pattern>.<fact>`. */
const FACT_PREFIX = 'patternbench.';

/**
 * One workflow in flight: its case, its root span, its running totals, its random streams and the
 * facts its pattern recorded. It is also the `WorkflowContext` the executor sees (one object per
 * workflow, no closures).
 * Streams are derived from (run seed, case, repeat, agent, stream name) — not from the pattern — so
 * two patterns run on the same case see the same draws for the same agent (common random numbers:
 * a fairer comparison), and no stream shifts when another consumer is added.
 */
export class WorkflowState implements WorkflowContext, CallWorkflow<RunContext> {
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
  readonly #streams = new Map<string, AgentStreams>();
  #budgetMeters: BudgetMeter[] | null = null;
  /** Number of the next `call` (checkpoint step): 0-based, in the order the pattern issued them. */
  #step = 0;
  /** Checkpoints of this workflow from an interrupted run (`--resume`); null when none. */
  readonly #replay: WorkflowReplay | null;
  /** Calls made on behalf of a numbered call (`callAgent` with a parent), for its checkpoint. */
  #nested: WeakMap<AgentCall, AgentCall[]> | null = null;
  /** Clock time by which the workflow must end (`workflowTimeout`); Infinity when unlimited. */
  readonly deadlineMs: number;

  constructor(
    readonly run: RunContext,
    readonly caseSpec: CaseSpec,
    readonly repeat: number,
    readonly workflowId: number,
    readonly root: ActiveSpan,
  ) {
    this.#seed = mixSeed(run.seed, run.keys.of(caseSpec.id), repeat);
    const limit = run.scenario.workflowTimeoutMs;
    this.deadlineMs = limit === null ? Infinity : run.clock.now() + limit;
    this.#replay = run.checkpoints?.replayOf(workflowId, root) ?? null;
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
    (this.facts ??= {})[key.startsWith(FACT_PREFIX) ? key.slice(FACT_PREFIX.length) : key] = value;
  }

  /** Calls `agentName` through the run's call pipeline; agent failures come back as values. */
  async call(agentName: string, input: AgentInput): Promise<CallOutcome> {
    const agent = this.run.scenario.agents.get(agentName);
    if (agent === undefined) {
      throw new HarnessError('AGENT_UNKNOWN', `pattern ${this.run.pattern} called agent '${agentName}', which the scenario does not define`);
    }
    const call = new AgentCall(agent, input, this);
    // Checkpoint and resume (harness/run/recovery/checkpoint.ts): a call checkpointed before an interruption
    // is replayed, not made again; any other is made and, once complete, checkpointed.
    const step = this.#step++;
    const checkpoint = this.#replay?.take(step, agentName, this.workflowId) ?? null;
    const outcome = checkpoint === null ? await this.#callPipeline(call, step) : await this.#replayCall(checkpoint.outcome);
    // Saga: a side effect to undo should the workflow fail (harness/run/recovery/saga.ts).
    const sideEffect = outcome.status === 'ok' ? sideEffectOf(call, outcome.output, this.now()) : null;
    if (sideEffect !== null) (this.sideEffects ??= []).push(sideEffect);
    if (outcome.status === 'failed') this.lastFailure = { agent: agentName, errorType: outcome.errorType, message: outcome.message };
    return outcome;
  }

  /** Makes call `step` through the pipeline, then saves its checkpoint (after its spans: see checkpoint.ts). */
  async #callPipeline(call: AgentCall, step: number): Promise<CallOutcome> {
    const startMs = this.now();
    const outcome = outcomeOf(await this.run.pipeline(call));
    this.run.checkpoints?.record(this, step, [call, ...(this.#nested?.get(call) ?? [])], outcome, startMs);
    return outcome;
  }

  /**
   * Replays a checkpointed call: no pipeline, no spans (the original call's are kept), its usage,
   * cost and counts added to the totals. On virtual time it takes as long as the original did, so
   * latencies stay those of an uninterrupted run; on the wall clock it returns at once.
   */
  async #replayCall(checkpoint: CheckpointOutcome): Promise<CallOutcome> {
    if (this.run.clock.virtual && checkpoint.durationMs > 0) await this.run.clock.sleep(checkpoint.durationMs);
    const usage = checkpoint.usage;
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
    this.cachedTokens += usage.cachedTokens;
    this.costUsd += checkpoint.costUsd;
    this.agentCalls += checkpoint.agentCalls;
    this.modelAttempts += checkpoint.modelAttempts;
    return checkpoint.result;
  }

  /** Draws made so far by the streams of each of `agents` in this workflow (saved with checkpoints). */
  streamDraws(agents: readonly string[]): Record<string, Record<string, number>> {
    const draws: Record<string, Record<string, number>> = {};
    for (const agent of agents) {
      const streams = this.#streams.get(agent);
      if (streams !== undefined) draws[agent] = streams.draws();
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
    return outcomeOf(await this.run.pipeline(nested));
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

  /** This workflow's budget meters (tokens, cost), created on first use. */
  get budgetMeters(): readonly BudgetMeter[] {
    return (this.#budgetMeters ??= this.run.budget.workflowMeters());
  }

  /** The streams of `agent` in this workflow. */
  streams(agent: string): AgentStreams {
    let streams = this.#streams.get(agent);
    if (streams === undefined) {
      streams = new AgentStreams(mixSeed(this.#seed, this.run.keys.of(agent)));
      // A resumed workflow's streams continue where its checkpointed calls left them.
      const skip = this.#replay?.agentDraws(agent);
      if (skip !== undefined) streams.skipTo(skip);
      this.#streams.set(agent, streams);
    }
    return streams;
  }
}

/** What a pattern sees of the pipeline's result: the output, or why the call failed. */
function outcomeOf(result: AttemptResult): CallOutcome {
  return result.status === 'ok' ? { status: 'ok', output: result.output } : { status: 'failed', errorType: result.errorType, message: result.message };
}
