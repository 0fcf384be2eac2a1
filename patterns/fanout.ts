import { z } from 'zod';
import { durationSchema } from '../harness/scenario/schema/distributions.ts';
import { Cancellation } from '../harness/kernel/clock.ts';
import { mergeOutputs, MERGE_STRATEGIES, type MergeResult } from './fanout-merge.ts';
import { fieldOwners, SharedState, SHARED_STATE_MODES } from './fanout-state.ts';
import type { AgentOutput, AgentReference, CallOutcome, Executor, PatternDefinition, WorkflowContext, WorkflowOutcome } from './types.ts';

/** `patterns.fanout` in a scenario. */
export const fanoutConfigSchema = z
  .strictObject({
    /** Agents dispatched at once (an agent may be listed more than once, e.g. to vote). */
    workers: z.array(z.string().min(1)).min(1).describe('Agents dispatched in parallel; one may appear several times.'),
    /** `same` (default): every worker reads the whole case; `slices`: each reads 1/n of it. */
    input: z.enum(['same', 'slices']).default('same').describe('same (default): each worker reads the whole case; slices: 1/n each.'),
    /** How worker results are combined. Default `vote`. */
    merge: z.enum(MERGE_STRATEGIES).default('vote').describe('concat, vote (default), confidence-weighted, or reconciler.'),
    /** Agent that resolves conflicts when `merge: reconciler` (called only when workers disagree). */
    reconciler: z.string().min(1).optional().describe('Agent resolving conflicts; required with merge: reconciler.'),
    /** Agent that reads the merged result and writes the final answer. Default none. */
    synthesis: z.string().min(1).optional().describe('Agent reading the merged result and writing the final answer. Default none.'),
    /** Successful workers needed to go on (k of n). Default: the quorum when one is set, else all of them. */
    minSuccesses: z.number().int().min(1).optional().describe('Successful workers needed to go on (k of n). Default: quorum if set, else all.'),
    /**
     * Fan in as soon as this many workers have succeeded (k of n): the stragglers are cancelled,
     * billed for what they used so far. Default none: wait for every worker (or the deadline).
     */
    quorum: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Fan in the moment this many workers have succeeded; stragglers are cancelled (billed for the tokens used so far). minSuccesses defaults to it and must not exceed it. Default none: wait for all (or the deadline).',
      ),
    /** Fan in at this time after dispatch with whatever has returned; stragglers are cancelled. Default none. */
    deadline: durationSchema.optional().describe('Fan in at this time with what has returned; stragglers are cancelled. Default none.'),
    /** Shared state the workers write to, and how write conflicts are handled. Default none. */
    sharedState: z
      .strictObject({
        mode: z.enum(SHARED_STATE_MODES).describe('last-write-wins, optimistic (version check + retry) or partitioned (owned fields).'),
        writes: z.record(z.string().min(1), z.array(z.string().min(1))).describe('Worker → fields it writes when it finishes.'),
        maxRetries: z.number().int().min(0).default(2).describe('optimistic: re-runs of a worker after a conflict. Default 2.'),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.merge === 'reconciler' && config.reconciler === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reconciler'], message: "merge: reconciler needs 'reconciler:' (the agent that resolves conflicts)", input: config });
    }
    if (config.reconciler !== undefined && config.merge !== 'reconciler') {
      ctx.addIssue({ code: 'custom', path: ['reconciler'], message: `only used with merge: reconciler (merge is ${config.merge})`, input: config.reconciler });
    }
    if (config.quorum !== undefined && config.quorum > config.workers.length) {
      ctx.addIssue({ code: 'custom', path: ['quorum'], message: `must not exceed the number of workers (${config.workers.length})`, input: config.quorum });
    } else if (config.quorum !== undefined && config.minSuccesses !== undefined && config.minSuccesses > config.quorum) {
      ctx.addIssue({
        code: 'custom',
        path: ['minSuccesses'],
        message: `must not exceed quorum (${config.quorum}): the fan-in fires at the quorum`,
        input: config.minSuccesses,
      });
    }
    if (config.minSuccesses !== undefined && config.minSuccesses > config.workers.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['minSuccesses'],
        message: `must not exceed the number of workers (${config.workers.length})`,
        input: config.minSuccesses,
      });
    }
    for (const worker of Object.keys(config.sharedState?.writes ?? {})) {
      if (!config.workers.includes(worker)) {
        ctx.addIssue({ code: 'custom', path: ['sharedState', 'writes', worker], message: `'${worker}' is not one of the workers`, input: worker });
      }
    }
  })
  .describe('Parallel fan-out/fan-in: N workers at once, results merged, optionally synthesised.');

export type FanoutConfig = z.infer<typeof fanoutConfigSchema>;

/** Tokens each worker reads on top of its prompt (pure): the whole case, or an even slice of it. */
export function fanoutWorkerTokens(config: FanoutConfig, caseTokens: number): number {
  return config.input === 'slices' ? Math.ceil(caseTokens / config.workers.length) : caseTokens;
}

class FanoutExecutor implements Executor {
  readonly pattern = 'fanout' as const;
  readonly #minSuccesses: number;
  readonly #owners: ReadonlyMap<string, string>;

  constructor(private readonly config: FanoutConfig) {
    this.#minSuccesses = config.minSuccesses ?? config.quorum ?? config.workers.length;
    this.#owners = fieldOwners(config.workers, config.sharedState?.writes ?? {});
  }

  async run(workflow: WorkflowContext): Promise<WorkflowOutcome> {
    const config = this.config;
    const results = await this.#dispatch(workflow);
    const outputs: AgentOutput[] = [];
    const missing: string[] = [];
    let firstFailure: { worker: string; errorType: string } | null = null;
    results.forEach((result, index) => {
      const worker = config.workers[index] as string;
      if (result.status === 'ok') outputs.push(result.output);
      else {
        missing.push(worker);
        firstFailure ??= { worker, errorType: result.errorType };
      }
    });
    workflow.record('patternbench.fanout.successes', outputs.length);
    workflow.record('patternbench.fanout.missing_workers', missing.join(','));
    workflow.record('patternbench.fanout.missing_count', missing.length);
    if (outputs.length < this.#minSuccesses || outputs.length === 0) {
      const failure = firstFailure as { worker: string; errorType: string } | null;
      // Workers a budget cut or refused: the budget is why there are too few results.
      const errorType = workflow.budgetStop() === null ? 'insufficient_results' : 'budget_exceeded';
      return { status: 'failed', errorType, failedStep: failure?.worker ?? 'fanout', output: outputs[0] ?? null };
    }

    const merged = mergeOutputs(config.merge, outputs);
    workflow.record('patternbench.fanout.conflicts', merged.conflicts);
    workflow.record('patternbench.fanout.unresolved_conflicts', merged.unresolved);
    const resolved = await this.#reconcile(workflow, merged, outputs);
    if (resolved.status === 'failed') return resolved;
    if (config.synthesis === undefined) return resolved;
    const synthesis = await workflow.call(config.synthesis, { tokens: resolved.output.tokens, upstream: [resolved.output] });
    if (synthesis.status === 'failed') {
      return { status: 'failed', errorType: synthesis.errorType, failedStep: config.synthesis, output: resolved.output };
    }
    return { status: 'completed', output: synthesis.output };
  }

  /**
   * Runs every worker at once; fans in when all are done, when the quorum-th worker succeeds, or at
   * the deadline, whichever comes first (the stragglers are cancelled).
   */
  async #dispatch(workflow: WorkflowContext): Promise<CallOutcome[]> {
    const config = this.config;
    const tokens = fanoutWorkerTokens(config, workflow.case.inputTokens);
    const cancel = new Cancellation();
    const shared = config.sharedState === undefined ? null : new SharedState(config.sharedState.mode, this.#owners);
    const dispatchedAt = workflow.now();
    const quorum = config.quorum ?? Infinity;
    let successes = 0;
    const all = Promise.all(
      config.workers.map(async (worker) => {
        const result = await this.#worker(workflow, worker, tokens, cancel, shared);
        // The quorum-th success fans in at once: the stragglers' calls are cut where they stand.
        if (result.status === 'ok' && ++successes === quorum && !cancel.cancelled) {
          workflow.record('patternbench.fanout.quorum_hit', true);
          cancel.cancel();
        }
        return result;
      }),
    );
    if (config.deadline !== undefined) {
      const stopTimer = new Cancellation();
      const done = all.then(() => stopTimer.cancel());
      const elapsed = await Promise.race([done.then(() => false), workflow.sleep(config.deadline, stopTimer)]);
      if (elapsed) {
        cancel.cancel();
        workflow.record('patternbench.fanout.deadline_hit', true);
      }
    }
    const results = await all;
    workflow.record('patternbench.fanout.fan_in_ms', workflow.now() - dispatchedAt);
    if (shared !== null) {
      const counts = shared.counts();
      workflow.record('patternbench.fanout.state_writes', counts.writes);
      workflow.record('patternbench.fanout.lost_updates', counts.lostUpdates);
      workflow.record('patternbench.fanout.write_conflicts', counts.conflicts);
      workflow.record('patternbench.fanout.rejected_writes', counts.rejected);
    }
    return results;
  }

  /** One worker: its call, then its shared-state write (re-running it after an optimistic conflict). */
  async #worker(workflow: WorkflowContext, worker: string, tokens: number, cancel: Cancellation, shared: SharedState | null): Promise<CallOutcome> {
    const fields = this.config.sharedState?.writes[worker] ?? [];
    const maxRetries = this.config.sharedState?.maxRetries ?? 0;
    for (let attempt = 0; ; attempt++) {
      const snapshot = shared?.snapshot(fields);
      const result = await workflow.call(worker, { tokens, upstream: [], cancel });
      if (result.status === 'failed' || shared === null || snapshot === undefined || fields.length === 0) return result;
      if (shared.write(worker, fields, snapshot).status === 'written' || attempt >= maxRetries || cancel.cancelled) return result;
    }
  }

  /** With `merge: reconciler` and conflicts, asks the reconciler; otherwise the merge stands. */
  async #reconcile(workflow: WorkflowContext, merged: MergeResult, outputs: readonly AgentOutput[]): Promise<WorkflowOutcome> {
    const reconciler = this.config.reconciler;
    if (this.config.merge !== 'reconciler' || reconciler === undefined || merged.conflicts === 0) {
      return { status: 'completed', output: merged.output };
    }
    workflow.record('patternbench.fanout.reconciled', true);
    const result = await workflow.call(reconciler, { tokens: merged.output.tokens, upstream: outputs, task: { kind: 'reconcile' } });
    if (result.status === 'failed') return { status: 'failed', errorType: result.errorType, failedStep: reconciler, output: merged.output };
    return { status: 'completed', output: result.output };
  }
}

export const fanoutPattern: PatternDefinition<FanoutConfig> = {
  name: 'fanout',
  configSchema: fanoutConfigSchema,
  references: (config) => {
    // The workers' answers are merged into one: the compiler checks they answer the same thing.
    const references: AgentReference[] = config.workers.map((agent, index) => ({ path: ['workers', index], agent, merge: 'workers' }));
    if (config.reconciler !== undefined) references.push({ path: ['reconciler'], agent: config.reconciler });
    if (config.synthesis !== undefined) references.push({ path: ['synthesis'], agent: config.synthesis });
    return references;
  },
  nestable: [['workers', '*']],
  create: (config) => new FanoutExecutor(config),
};
