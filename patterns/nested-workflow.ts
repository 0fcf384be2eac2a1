import type { AgentStreams } from '../harness/kernel/agent-streams.ts';
import { Cancellation } from '../harness/kernel/clock.ts';
import type { AttributeValue } from '../harness/kernel/records.ts';
import type { CaseSpec, CompiledScenario } from '../harness/scenario/types.ts';
import type { AgentInput, CallOutcome, Executor, WorkflowContext } from './types.ts';

const FACT_PREFIX = 'patternbench.';

/** One level of a hybrid, built for a run: its executor and the executors of its inline patterns. */
export interface ComposedLevel {
  /** Its path (`sequential.steps[1].fanout`): its span's name, and what its parent calls. */
  readonly name: string;
  /** The slot it stands in (`sequential.steps[1]`), which prefixes its facts; '' for the outer level. */
  readonly at: string;
  readonly executor: Executor;
  /** Its inline patterns, by name. */
  readonly nested: ReadonlyMap<string, ComposedLevel>;
}

/**
 * What one level of a hybrid sees of its workflow. A call of a name standing for an inline pattern
 * runs that pattern's executor on the same workflow (same pipeline, budgets, breakers, streams)
 * and hands its outcome back as an agent call's would be; every other call goes to the pipeline.
 * For a nested level, what its parent handed in is its case: its `case.inputTokens` are the
 * tokens handed in, the outputs handed in are upstream of each of its calls, a cancellation handed
 * in cuts its calls too, and an `answer` task's scope applies to its calls that set none. Its
 * facts and meters are prefixed with the slot it stands in.
 */
export class ComposedWorkflow implements WorkflowContext {
  readonly #base: WorkflowContext;
  readonly #level: ComposedLevel;
  /** What the parent handed in; null for the outer level. */
  readonly #handedIn: AgentInput | null;
  readonly #case: CaseSpec;
  /** The base's streams, when it keeps them (a speculative chain step draws from them). */
  readonly streams?: (agent: string) => AgentStreams;

  constructor(base: WorkflowContext, level: ComposedLevel, handedIn: AgentInput | null) {
    if (base.streams !== undefined) this.streams = base.streams.bind(base);
    this.#base = base;
    this.#level = level;
    this.#handedIn = handedIn;
    this.#case = handedIn === null ? base.case : { ...base.case, inputTokens: handedIn.tokens };
  }

  get scenario(): CompiledScenario {
    return this.#base.scenario;
  }

  get case(): CaseSpec {
    return this.#case;
  }

  get repeat(): number {
    return this.#base.repeat;
  }

  now(): number {
    return this.#base.now();
  }

  sleep(ms: number, cancel?: Cancellation): Promise<boolean> {
    return this.#base.sleep(ms, cancel);
  }

  usage(): { readonly tokens: number; readonly costUsd: number } {
    return this.#base.usage();
  }

  budgetStop(): string | null {
    return this.#base.budgetStop();
  }

  meter(owner: string, metric: string, limit: number): { update(consumed: number): boolean } {
    return this.#base.meter(this.#level.at === '' ? owner : `${this.#level.at}.${owner}`, metric, limit);
  }

  record(key: string, value: AttributeValue): void {
    const at = this.#level.at;
    if (at === '') this.#base.record(key, value);
    else this.#base.record(`${FACT_PREFIX}${at}.${key.startsWith(FACT_PREFIX) ? key.slice(FACT_PREFIX.length) : key}`, value);
  }

  async call(name: string, input: AgentInput): Promise<CallOutcome> {
    const merged = this.#withHandedIn(input);
    const nested = this.#level.nested.get(name);
    const outer = this.#handedIn?.cancel;
    const own = merged.cancel;
    const send = (sent: AgentInput) => (nested === undefined ? this.#base.call(name, sent) : runNested(this.#base, nested, sent));
    if (outer === undefined || outer === own) return send(merged);
    if (own === undefined) return send({ ...merged, cancel: outer });
    // Both the parent's cancellation and the call's own cut it.
    const either = new Cancellation();
    const offOuter = outer.onCancel(() => either.cancel());
    const offOwn = own.onCancel(() => either.cancel());
    try {
      return await send({ ...merged, cancel: either });
    } finally {
      offOuter();
      offOwn();
    }
  }

  /** `input` with what the parent handed in: its outputs upstream, and its scope when `input` sets no task. */
  #withHandedIn(input: AgentInput): AgentInput {
    const handedIn = this.#handedIn;
    if (handedIn === null) return input;
    const upstream = handedIn.upstream.length === 0 ? input.upstream : [...handedIn.upstream, ...input.upstream];
    const task = input.task ?? (handedIn.task?.kind === 'answer' ? handedIn.task : undefined);
    const merged: AgentInput = { ...input, upstream };
    return task === undefined ? merged : { ...merged, task };
  }
}

/**
 * Runs the inline pattern `level` on `base` (the context its parent's calls go to), under its own
 * `invoke_workflow {name}` span when `base` opens one (`WorkflowContext.nest`), and hands its
 * outcome back as an agent call's: its output, or its failure (`error.type` of the step that
 * failed, which is recorded as the fact `<name>.failed_step`). `input` is what the parent handed in.
 */
export async function runNested(base: WorkflowContext, level: ComposedLevel, input: AgentInput): Promise<CallOutcome> {
  const scope = base.nest?.(level.name);
  const workflow = new ComposedWorkflow(scope?.workflow ?? base, level, input);
  const outcome = await level.executor.run(workflow);
  scope?.end(outcome);
  if (outcome.status === 'completed') return { status: 'ok', output: outcome.output };
  workflow.record(`${FACT_PREFIX}${level.executor.pattern}.failed_step`, outcome.failedStep);
  return { status: 'failed', errorType: outcome.errorType, message: `${level.name}: step ${outcome.failedStep} failed: ${outcome.errorType}` };
}
