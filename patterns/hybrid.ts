import type { z } from 'zod';
import { HarnessError } from '../harness/kernel/errors.ts';
import { compositionInputSchema, type CompiledComposition } from '../harness/scenario/composition.ts';
import type { CompiledScenario, PurePatternName } from '../harness/scenario/types.ts';
import { ComposedWorkflow, type ComposedLevel } from './nested-workflow.ts';
import type { AgentReference, Executor, PatternDefinition, PatternLimit, WorkflowContext, WorkflowOutcome } from './types.ts';

/** The pure patterns a hybrid composes, by name. */
export type PureDefinitions = ReadonlyMap<PurePatternName, PatternDefinition<unknown>>;

/**
 * Runs a composed pattern: the outer pattern's executor, on a context where the names standing for
 * inline patterns run those patterns (patterns/nested-workflow.ts). Control flow only, as every
 * executor: the inline patterns' agent calls go through the same pipeline as the outer's.
 */
class HybridExecutor implements Executor {
  readonly pattern = 'hybrid' as const;
  constructor(private readonly outer: ComposedLevel) {}

  run(workflow: WorkflowContext): Promise<WorkflowOutcome> {
    return this.outer.executor.run(new ComposedWorkflow(workflow, this.outer, null));
  }
}

/** Builds the executors of `composition` and of every pattern nested in it, for one run. */
function buildLevel(composition: CompiledComposition, definitions: PureDefinitions, scenario: CompiledScenario): ComposedLevel {
  const nested = new Map<string, ComposedLevel>();
  for (const [name, inner] of Object.entries(composition.nested)) nested.set(name, buildLevel(inner, definitions, scenario));
  return { name: composition.name, at: composition.at, executor: definitionOf(composition, definitions).create(composition.config, scenario), nested };
}

/** Every level of `composition`, outer first. */
function levels(composition: CompiledComposition): CompiledComposition[] {
  return [composition, ...Object.values(composition.nested).flatMap(levels)];
}

function definitionOf(composition: CompiledComposition, definitions: PureDefinitions): PatternDefinition<unknown> {
  const definition = definitions.get(composition.pattern);
  // The compiler only lets through patterns of the catalog it was given, this one.
  if (definition === undefined) throw new HarnessError('PATTERN_UNKNOWN', `hybrid: pattern '${composition.pattern}' (at ${composition.name}) is not implemented`);
  return definition;
}

/**
 * `hybrid`: a pure pattern whose steps, workers, routes or subtask workers may be inline patterns,
 * compared as its own row of the matrix. The scenario compiler compiles its section level by level
 * (harness/scenario/compile-composition.ts); `configSchema` describes its shape for the JSON
 * Schema. Built over the pure patterns `definitions` (patterns/index.ts).
 */
export function hybridPattern(definitions: PureDefinitions): PatternDefinition<CompiledComposition> {
  return {
    name: 'hybrid',
    // Input shape only: what comes out is the compiler's `CompiledComposition`, never this schema's output.
    configSchema: compositionInputSchema as unknown as z.ZodType<CompiledComposition>,
    references: (config) =>
      levels(config).flatMap((level) =>
        definitionOf(level, definitions)
          .references(level.config)
          .filter((reference) => !(reference.agent in level.nested))
          .map((reference): AgentReference => ({ ...reference, path: [level.name, ...reference.path] })),
      ),
    create: (config, scenario) => new HybridExecutor(buildLevel(config, definitions, scenario)),
    // A nested pattern's own hard limits (a supervisor's tokenBudget) hold for the whole workflow.
    limits: (config) => levels(config).flatMap((level): readonly PatternLimit[] => definitionOf(level, definitions).limits?.(level.config) ?? []),
  };
}
