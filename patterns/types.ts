import type { z } from 'zod';
import type { CaseSpec, CompiledScenario, PatternName } from '../harness/scenario-types.ts';

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
}

/** What a pattern hands to an agent call. */
export interface AgentInput {
  /** Tokens passed in by the pattern (case input, prior outputs), on top of the agent's own prompt. */
  readonly tokens: number;
  /** Outputs of earlier agents this call builds on; empty for a call that reads only the case. */
  readonly upstream: readonly AgentOutput[];
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

/** A reference from a pattern's configuration to an agent, with its path inside that configuration. */
export interface AgentReference {
  readonly path: readonly (string | number)[];
  readonly agent: string;
}

/** Everything the harness needs to know about a pattern. */
export interface PatternDefinition<C = unknown> {
  readonly name: PatternName;
  /** Validates and defaults the pattern's section of a scenario (`patterns.<name>`). Must be strict. */
  readonly configSchema: z.ZodType<C>;
  /** Agents the configuration names, so a missing one is reported at its file position. */
  references(config: C): readonly AgentReference[];
  /** Builds the executor for one run. */
  create(config: C, scenario: CompiledScenario): Executor;
}
