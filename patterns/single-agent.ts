import { z } from 'zod';
import type { CompiledScenario } from '../harness/scenario/types.ts';
import type { AgentReference, Executor, PatternDefinition, WorkflowContext, WorkflowOutcome } from './types.ts';

/** `patterns.single-agent` in a scenario. */
export const singleAgentConfigSchema = z
  .strictObject({
    /** The one agent that does the whole workflow. */
    agent: z.string().min(1).describe('The one agent that does the whole workflow.'),
    /**
     * Agents whose work the single agent takes on: their instructions join its prompt (input
     * tokens) and their tools join its own (tool count), which degrades its accuracy as DESIGN.md
     * says (context above 70 % full, more than 20 tools). Default: every other agent of the scenario.
     */
    absorbs: z.array(z.string().min(1)).optional().describe("Agents whose prompts and tools it takes on. Default every other agent."),
  })
  .describe('Single-agent baseline: one agent with every tool and all the context, in one call.');

export type SingleAgentConfig = z.infer<typeof singleAgentConfigSchema>;

/** What the single agent carries on top of the case: the absorbed agents' prompts and tools (pure). */
export function absorbedLoad(config: SingleAgentConfig, scenario: CompiledScenario): { promptTokens: number; tools: string[] } {
  const names = config.absorbs ?? [...scenario.agents.keys()].filter((name) => name !== config.agent);
  let promptTokens = 0;
  const tools = new Set<string>();
  for (const name of names) {
    const agent = scenario.agents.get(name);
    if (agent === undefined || name === config.agent) continue;
    promptTokens += agent.promptTokens;
    for (const tool of agent.tools) tools.add(tool);
  }
  return { promptTokens, tools: [...tools].sort() };
}

class SingleAgentExecutor implements Executor {
  readonly pattern = 'single-agent' as const;

  constructor(
    private readonly config: SingleAgentConfig,
    private readonly load: { promptTokens: number; tools: readonly string[] },
  ) {}

  async run(workflow: WorkflowContext): Promise<WorkflowOutcome> {
    const agent = this.config.agent;
    const result = await workflow.call(agent, {
      tokens: workflow.case.inputTokens + this.load.promptTokens,
      upstream: [],
      tools: this.load.tools,
    });
    if (result.status === 'failed') return { status: 'failed', errorType: result.errorType, failedStep: agent, output: null };
    return { status: 'completed', output: result.output };
  }
}

export const singleAgentPattern: PatternDefinition<SingleAgentConfig> = {
  name: 'single-agent',
  configSchema: singleAgentConfigSchema,
  references: (config) => {
    const references: AgentReference[] = [{ path: ['agent'], agent: config.agent }];
    config.absorbs?.forEach((agent, index) => references.push({ path: ['absorbs', index], agent }));
    return references;
  },
  create: (config, scenario) => new SingleAgentExecutor(config, absorbedLoad(config, scenario)),
};
