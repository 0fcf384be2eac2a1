import { z } from 'zod';
import { runSpeculativePair, speculativeStepSchema, type SpeculativeStep } from './speculation.ts';
import type { AgentInput, AgentOutput, CallOutcome, Executor, PatternDefinition, WorkflowContext, WorkflowOutcome } from './types.ts';

/** `patterns.sequential` in a scenario. */
export const sequentialConfigSchema = z
  .strictObject({
    /**
     * Agents in order; each receives the previous agent's structured output. A step may be written
     * `{ agent, speculate: { on, predictability, onMiss } }` to start it beside the step right
     * before it, on a predicted output of that step (patterns/speculation.ts).
     */
    steps: z.array(z.union([z.string().min(1), speculativeStepSchema])).min(1),
    /**
     * What each step after the first reads besides its prompt: `accumulate` (default) — the case
     * input plus every prior output, so input grows along the chain; `previous` — only the
     * previous step's output.
     */
    context: z.enum(['accumulate', 'previous']).default('accumulate'),
  })
  .superRefine((config, context) => {
    for (const issue of speculationIssues(config.steps)) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .describe('Sequential chain: N agents, each receiving the previous agent\'s structured output.');

/** The agent of a chain step. */
const agentOf = (step: string | SpeculativeStep): string => (typeof step === 'string' ? step : step.agent);

/** What is wrong with the chain's speculative steps: `on` must be the step right before, of another agent, itself not speculative. Pure. */
export function speculationIssues(steps: readonly (string | SpeculativeStep)[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  steps.forEach((step, index) => {
    if (typeof step === 'string') return;
    const on = step.speculate.on;
    const previous = steps[index - 1];
    const path = ['steps', index, 'speculate', 'on'];
    const upstream = steps.slice(0, index).map(agentOf);
    if (previous === undefined || !upstream.includes(on)) {
      const where = steps.slice(index).map(agentOf).includes(on) ? 'is not upstream of this step (it runs at or after it)' : 'names no step of this chain';
      issues.push({ path, message: `'${on}' ${where}: a step speculates on the step right before it${previous === undefined ? ', and the first step has none' : ` ('${agentOf(previous)}')`}` });
    } else if (agentOf(previous) !== on) {
      issues.push({ path, message: `'${on}' is further up the chain: a step speculates on the step right before it ('${agentOf(previous)}')` });
    } else if (on === step.agent) {
      issues.push({ path, message: `'${on}' is this step's own agent: a step cannot speculate on a call of its own agent` });
    } else if (on.includes('.')) {
      issues.push({ path, message: `'${on}' is an inline pattern: a step speculates on an agent's call` });
    } else if (typeof previous !== 'string') {
      issues.push({ path, message: `'${on}' speculates itself: a speculative step cannot be speculated on` });
    }
  });
  return issues;
}

export type SequentialConfig = z.infer<typeof sequentialConfigSchema>;

/** Tokens step `index` reads on top of its prompt, given the outputs so far (pure). */
export function sequentialInputTokens(
  config: SequentialConfig,
  caseTokens: number,
  prior: readonly AgentOutput[],
): number {
  const last = prior[prior.length - 1];
  if (last === undefined) return caseTokens;
  if (config.context === 'previous') return last.tokens;
  let tokens = caseTokens;
  for (const output of prior) tokens += output.tokens;
  return tokens;
}

class SequentialExecutor implements Executor {
  readonly pattern = 'sequential' as const;
  constructor(private readonly config: SequentialConfig) {}

  async run(workflow: WorkflowContext): Promise<WorkflowOutcome> {
    const outputs: AgentOutput[] = [];
    const steps = this.config.steps;
    // Indexed, not for-of: an iterator would stay alive for the whole workflow.
    for (let index = 0; index < steps.length; index++) {
      const step = agentOf(steps[index] as string | SpeculativeStep);
      const next = steps[index + 1];
      if (next !== undefined && typeof next !== 'string' && workflow.streams !== undefined) {
        const failed = await this.#speculate(workflow, outputs, index, step, next);
        if (failed !== null) return failed;
        index++;
        continue;
      }
      const outcome = await workflow.call(step, this.#input(workflow, outputs));
      const failed = this.#failed(outcome, step, outputs);
      if (failed !== null) return failed;
      outputs.push((outcome as { output: AgentOutput }).output);
    }
    return { status: 'completed', output: outputs[outputs.length - 1] as AgentOutput };
  }

  /**
   * Runs step `index` (of `step`) and the step after it, `next`, which speculates on it: both start
   * now (patterns/speculation.ts). Appends both outputs to `outputs`; the workflow's failure when
   * either failed, else null. A method of its own, so that the frame `run` keeps for a whole
   * workflow holds only the plain step's registers (~100 B less per workflow in flight).
   */
  async #speculate(workflow: WorkflowContext, outputs: AgentOutput[], index: number, step: string, next: SpeculativeStep): Promise<WorkflowOutcome | null> {
    const pair = await runSpeculativePair(workflow as Parameters<typeof runSpeculativePair>[0], step, next, index + 1, {
      on: this.#input(workflow, outputs),
      stepInput: (onOutput) => this.#input(workflow, [...outputs, onOutput]),
    });
    const failed = this.#failed(pair.on, step, outputs) ?? (pair.step === null ? null : this.#failed(pair.step, next.agent, [...outputs, (pair.on as { output: AgentOutput }).output]));
    if (failed !== null) return failed;
    outputs.push((pair.on as { output: AgentOutput }).output, (pair.step as { output: AgentOutput }).output);
    return null;
  }

  /** What a step reads after `outputs`. */
  #input(workflow: WorkflowContext, outputs: readonly AgentOutput[]): AgentInput {
    const tokens = sequentialInputTokens(this.config, workflow.case.inputTokens, outputs);
    const upstream = this.config.context === 'previous' ? outputs.slice(-1) : outputs.slice();
    return { tokens, upstream };
  }

  /** The workflow's failure when `outcome` (of `step`, after `outputs`) failed; else null. */
  #failed(outcome: CallOutcome, step: string, outputs: readonly AgentOutput[]): WorkflowOutcome | null {
    if (outcome.status === 'ok') return null;
    return { status: 'failed', errorType: outcome.errorType, failedStep: step, output: outputs.at(-1) ?? null };
  }
}

export const sequentialPattern: PatternDefinition<SequentialConfig> = {
  name: 'sequential',
  configSchema: sequentialConfigSchema,
  references: (config) => config.steps.map((step, index) => (typeof step === 'string' ? { path: ['steps', index], agent: step } : { path: ['steps', index, 'agent'], agent: step.agent })),
  nestable: [['steps', '*']],
  create: (config) => new SequentialExecutor(config),
};
