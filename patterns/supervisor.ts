import { z } from 'zod';
import { Cancellation } from '../harness/kernel/clock.ts';
import { durationSchema } from '../harness/scenario/schema/distributions.ts';
import { mergeOutputs } from './fanout-merge.ts';
import {
  ledgerTokens,
  limitReached,
  openCandidates,
  openSubtask,
  pendingSubtasks,
  reviewed,
  type SubtaskSpec,
  type SubtaskState,
  type TerminationReason,
} from './supervisor-plan.ts';
import type { AgentOutput, AgentReference, Executor, PatternDefinition, WorkflowContext, WorkflowOutcome } from './types.ts';

const subtaskSchema = z.strictObject({
  name: z.string().min(1).describe('Subtask name.'),
  worker: z.string().min(1).describe('Agent the subtask is delegated to.'),
  scope: z.array(z.string().min(1)).optional().describe('Findings domains the subtask covers. Default [name].'),
  reassignTo: z.string().min(1).optional().describe('Agent that takes over after repeated rejections. Default none.'),
});

/** `patterns.supervisor` in a scenario. */
export const supervisorConfigSchema = z
  .strictObject({
    supervisor: z.string().min(1).describe('Agent that plans, delegates, reviews and synthesises.'),
    subtasks: z.array(subtaskSchema).min(1).describe('The initial decomposition of the task.'),
    followUps: z.array(subtaskSchema).default([]).describe('Subtasks the supervisor may add when it spots a gap. Default none.'),
    input: z
      .enum(['same', 'slices'])
      .default('same')
      .describe('same (default): each worker reads the whole case; slices: 1/n of it, n = initial subtasks.'),
    maxRounds: z.number().int().min(1).default(10).describe('Planning rounds at most. Default 10.'),
    tokenBudget: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Tokens (input + output) the workflow may use, a hard limit like budgets.workflow: crossing it cuts the calls in flight, a call that cannot fit is not started; stopped with nothing accepted, the workflow fails (budget_exceeded). Default unlimited.',
      ),
    timeBound: durationSchema.optional().describe('Time the workflow may take; calls in flight are cancelled. Default unbounded.'),
    retriesBeforeReassign: z.number().int().min(0).default(1).describe('Rejected retries before reassigning. Default 1.'),
    ledgerTokens: z
      .strictObject({ min: z.number().int().min(0).default(3000), max: z.number().int().min(0).default(8000) })
      .prefault({})
      .describe('Tokens a planning cycle reads: min + results so far, at most max. Default 3,000–8,000.'),
    synthesise: z.boolean().default(true).describe('The supervisor writes the final answer from accepted results. Default true.'),
  })
  .superRefine((config, ctx) => {
    if (config.ledgerTokens.max < config.ledgerTokens.min) {
      ctx.addIssue({ code: 'custom', path: ['ledgerTokens', 'max'], message: 'must not be less than min', input: config.ledgerTokens.max });
    }
    const names = new Set<string>();
    [...config.subtasks, ...config.followUps].forEach((subtask, index) => {
      if (names.has(subtask.name)) {
        const path = index < config.subtasks.length ? ['subtasks', index, 'name'] : ['followUps', index - config.subtasks.length, 'name'];
        ctx.addIssue({ code: 'custom', path, message: `duplicate subtask name '${subtask.name}'`, input: subtask.name });
      }
      names.add(subtask.name);
    });
  })
  .describe('Supervisor/manager-worker: plan, delegate, review, retry or reassign, fill gaps; hard limits.');

export type SupervisorConfig = z.infer<typeof supervisorConfigSchema>;

function toSpec(subtask: z.infer<typeof subtaskSchema>): SubtaskSpec {
  return { name: subtask.name, worker: subtask.worker, scope: subtask.scope ?? [subtask.name], reassignTo: subtask.reassignTo };
}

class SupervisorExecutor implements Executor {
  readonly pattern = 'supervisor' as const;
  readonly #subtasks: readonly SubtaskSpec[];
  readonly #followUps: readonly SubtaskSpec[];

  constructor(private readonly config: SupervisorConfig) {
    this.#subtasks = config.subtasks.map(toSpec);
    this.#followUps = config.followUps.map(toSpec);
  }

  async run(workflow: WorkflowContext): Promise<WorkflowOutcome> {
    const config = this.config;
    const limits = { maxRounds: config.maxRounds, tokenBudget: config.tokenBudget ?? null, timeBoundMs: config.timeBound ?? null };
    const startedAt = workflow.now();
    const bound = new Cancellation();
    const stopTimer = new Cancellation();
    if (limits.timeBoundMs !== null) void workflow.sleep(limits.timeBoundMs, stopTimer).then((elapsed) => elapsed && bound.cancel());

    let ledger: SubtaskState[] = this.#subtasks.map(openSubtask);
    let resultTokens = 0;
    let rounds = 0;
    let rejections = 0;
    let reason: TerminationReason;
    // The limits are metered like budgets: alert and stop events at 70 % and 100 % of each. The token
    // budget is a hard limit the call pipeline meters (`limits` below): it cuts the calls in flight.
    const meters = [
      { meter: workflow.meter('supervisor', 'rounds', limits.maxRounds), consumed: () => rounds },
      ...(limits.timeBoundMs === null ? [] : [{ meter: workflow.meter('supervisor', 'time_ms', limits.timeBoundMs), consumed: () => workflow.now() - startedAt }]),
    ];
    for (;;) {
      for (const { meter, consumed } of meters) meter.update(consumed());
      const limit = workflow.budgetStop() !== null ? 'budget' : limitReached(limits, rounds, workflow.usage().tokens, workflow.now() - startedAt);
      if (limit !== null) {
        reason = limit;
        break;
      }
      rounds++;
      // Planning cycle: read the ledger; after the first round, look for gaps to follow up.
      const candidates = rounds === 1 ? [] : openCandidates(this.#followUps, ledger);
      const plan = await workflow.call(config.supervisor, {
        tokens: ledgerTokens(config.ledgerTokens, resultTokens),
        upstream: [],
        task: { kind: 'plan', candidates },
        cancel: bound,
      });
      if (plan.status === 'failed') {
        if (bound.cancelled) {
          reason = 'timeout';
          break;
        }
        if (workflow.budgetStop() !== null) {
          reason = 'budget';
          break;
        }
        stopTimer.cancel();
        return { status: 'failed', errorType: plan.errorType, failedStep: config.supervisor, output: null };
      }
      const added = this.#followUps.filter((spec) => plan.output.plan?.includes(spec.name) && candidates.some((c) => c.name === spec.name));
      ledger = [...ledger, ...added.map(openSubtask)];
      const pending = pendingSubtasks(ledger);
      if (pending.length === 0) {
        reason = 'completed';
        break;
      }
      const outcomes = await Promise.all(pending.map((subtask) => this.#delegate(workflow, subtask, bound)));
      for (const { subtask, output, verdict } of outcomes) {
        // A subtask whose call a budget cut or refused was not judged: it stays as it was.
        if (verdict === 'cut') continue;
        if (output !== null) resultTokens += output.tokens;
        if (verdict === 'reject') rejections++;
        const next = reviewed(subtask, output, verdict, config.retriesBeforeReassign);
        ledger = ledger.map((entry) => (entry.spec.name === subtask.spec.name ? next : entry));
      }
      if (pendingSubtasks(ledger).length === 0 && openCandidates(this.#followUps, ledger).length === 0) {
        reason = 'completed';
        break;
      }
    }

    const accepted = ledger.flatMap((subtask) => (subtask.accepted === null ? [] : [subtask.accepted]));
    workflow.record('patternbench.supervisor.termination_reason', reason);
    workflow.record('patternbench.supervisor.rounds', rounds);
    workflow.record('patternbench.supervisor.rejections', rejections);
    workflow.record('patternbench.supervisor.reassignments', ledger.filter((subtask) => subtask.reassigned).length);
    workflow.record('patternbench.supervisor.follow_ups', ledger.slice(this.#subtasks.length).map((subtask) => subtask.spec.name).join(','));
    workflow.record('patternbench.supervisor.accepted', accepted.length);
    workflow.record('patternbench.supervisor.subtasks', ledger.length);

    if (reason === 'budget' && accepted.length === 0) {
      stopTimer.cancel();
      return { status: 'failed', errorType: 'budget_exceeded', failedStep: config.supervisor, output: null };
    }
    const fallback: AgentOutput = accepted.length === 0 ? { agent: config.supervisor, findings: [], tokens: 0 } : mergeOutputs('concat', accepted).output;
    if (!config.synthesise || accepted.length === 0 || reason === 'budget' || reason === 'timeout') {
      stopTimer.cancel();
      return { status: 'completed', output: fallback };
    }
    const final = await workflow.call(config.supervisor, {
      tokens: ledgerTokens(config.ledgerTokens, resultTokens),
      upstream: accepted,
      cancel: bound,
    });
    stopTimer.cancel();
    if (final.status === 'failed') {
      if (bound.cancelled || workflow.budgetStop() !== null) {
        workflow.record('patternbench.supervisor.termination_reason', bound.cancelled ? 'timeout' : 'budget');
        return { status: 'completed', output: fallback };
      }
      return { status: 'failed', errorType: final.errorType, failedStep: config.supervisor, output: fallback };
    }
    return { status: 'completed', output: final.output };
  }

  /**
   * One subtask's work and its review. A failed call or review counts as a rejection, unless a
   * budget stopped the workflow (the call was cut or refused): `cut`, no verdict.
   */
  async #delegate(
    workflow: WorkflowContext,
    subtask: SubtaskState,
    cancel: Cancellation,
  ): Promise<{ subtask: SubtaskState; output: AgentOutput | null; verdict: 'accept' | 'reject' | 'cut' }> {
    const scope = subtask.spec.scope;
    const caseTokens = workflow.case.inputTokens;
    const tokens = this.config.input === 'slices' ? Math.ceil(caseTokens / this.#subtasks.length) : caseTokens;
    const work = await workflow.call(subtask.worker, { tokens, upstream: [], task: { kind: 'answer', scope }, cancel });
    if (work.status === 'failed') return { subtask, output: null, verdict: workflow.budgetStop() === null ? 'reject' : 'cut' };
    const review = await workflow.call(this.config.supervisor, {
      tokens: work.output.tokens,
      upstream: [],
      task: { kind: 'review', subject: work.output, scope },
      cancel,
    });
    if (review.status === 'failed' && workflow.budgetStop() !== null) return { subtask, output: work.output, verdict: 'cut' };
    const verdict = review.status === 'ok' && review.output.verdict === 'accept' ? 'accept' : 'reject';
    return { subtask, output: work.output, verdict };
  }
}

export const supervisorPattern: PatternDefinition<SupervisorConfig> = {
  name: 'supervisor',
  configSchema: supervisorConfigSchema,
  references: (config) => {
    const references: AgentReference[] = [{ path: ['supervisor'], agent: config.supervisor }];
    for (const list of ['subtasks', 'followUps'] as const) {
      config[list].forEach((subtask, index) => {
        // Accepted subtask results are merged into one answer (or read together by the synthesis).
        references.push({ path: [list, index, 'worker'], agent: subtask.worker, merge: 'subtasks' });
        if (subtask.reassignTo !== undefined) references.push({ path: [list, index, 'reassignTo'], agent: subtask.reassignTo, merge: 'subtasks' });
      });
    }
    return references;
  },
  nestable: [
    ['subtasks', '*', 'worker'],
    ['followUps', '*', 'worker'],
  ],
  create: (config) => new SupervisorExecutor(config),
  // The token budget is a hard limit the call pipeline meters, like budgets.workflow.
  limits: (config) => (config.tokenBudget === undefined ? [] : [{ metric: 'tokens', limit: config.tokenBudget }]),
};
