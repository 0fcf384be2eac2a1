import { z } from 'zod';
import type { AgentOutput, Executor, PatternDefinition, WorkflowContext, WorkflowOutcome } from './types.ts';

/** `patterns.sequential` in a scenario. */
export const sequentialConfigSchema = z
  .strictObject({
    /** Agents in order; each receives the previous agent's structured output. */
    steps: z.array(z.string().min(1)).min(1),
    /**
     * What each step after the first reads besides its prompt: `accumulate` (default) — the case
     * input plus every prior output, so input grows along the chain; `previous` — only the
     * previous step's output.
     */
    context: z.enum(['accumulate', 'previous']).default('accumulate'),
  })
  .describe('Sequential chain: N agents, each receiving the previous agent\'s structured output.');

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
      const step = steps[index] as string;
      const tokens = sequentialInputTokens(this.config, workflow.case.inputTokens, outputs);
      const upstream = this.config.context === 'previous' ? outputs.slice(-1) : outputs.slice();
      const outcome = await workflow.call(step, { tokens, upstream });
      if (outcome.status === 'failed') {
        return { status: 'failed', errorType: outcome.errorType, failedStep: step, output: outputs.at(-1) ?? null };
      }
      outputs.push(outcome.output);
    }
    return { status: 'completed', output: outputs[outputs.length - 1] as AgentOutput };
  }
}

export const sequentialPattern: PatternDefinition<SequentialConfig> = {
  name: 'sequential',
  configSchema: sequentialConfigSchema,
  references: (config) => config.steps.map((agent, index) => ({ path: ['steps', index], agent })),
  nestable: [['steps', '*']],
  create: (config) => new SequentialExecutor(config),
};
