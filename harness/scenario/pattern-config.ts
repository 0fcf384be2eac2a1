import type { z } from 'zod';
import type { PatternName } from './types.ts';

/** A reference from a pattern's configuration to an agent, with its path inside that configuration. */
export interface AgentReference {
  readonly path: readonly (string | number)[];
  readonly agent: string;
  /**
   * Set when the pattern merges this agent's answer with the others of the same group into one
   * (fan-out workers, a supervisor's subtasks): the compiler checks that they answer the same thing
   * (harness/scenario/merge-checks.ts). Default: not merged (a step, a router's specialist).
   */
  readonly merge?: string;
}

/**
 * What the scenario compiler knows of a pattern: how its section of a scenario (`patterns.<name>`)
 * is validated, and which agents it names. Each executor's `PatternDefinition` (patterns/types.ts)
 * is one; the compiler is handed them (`CompileOptions.patterns`) rather than importing the
 * executors, so the scenario layer stays below the patterns.
 */
export interface PatternConfig<C = unknown> {
  readonly name: PatternName;
  /** Validates and defaults the pattern's section of a scenario (`patterns.<name>`). Must be strict. */
  readonly configSchema: z.ZodType<C>;
  /** Agents the configuration names, so a missing one is reported at its file position. */
  references(config: C): readonly AgentReference[];
  /**
   * Where, inside a `hybrid`, an inline pattern may stand instead of an agent name (a chain's steps,
   * a fan-out's workers, a router's routes, a supervisor's subtask workers): paths into the
   * section, `'*'` standing for every item of a list or key of a map. The compiler compiles each
   * inline pattern on its own and puts its name where the agent's would be
   * (harness/scenario/compile-composition.ts). Default none: nothing nests in it.
   */
  readonly nestable?: readonly NestingSlot[];
}

/** A path into a pattern's section where an inline pattern may stand; `'*'` = every item or key. */
export type NestingSlot = readonly string[];

/** The patterns a scenario may name, by name. */
export type PatternCatalog = ReadonlyMap<PatternName, PatternConfig<unknown>>;
