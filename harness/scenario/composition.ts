import { z } from 'zod';
import { PURE_PATTERN_NAMES, type PurePatternName } from './types.ts';

/**
 * Inline patterns nest at most this deep below a hybrid's outer pattern (a fan-out inside a chain
 * is depth 1). Inline patterns cannot name one another, so a cycle cannot be written; the limit
 * keeps a scenario readable and its traces shallow.
 */
export const MAX_NESTING_DEPTH = 4;

/**
 * A composed pattern as compiled (`patterns.hybrid`, and each pattern nested in it): a pure
 * pattern's configuration in which every inline pattern has been replaced by its name, the name
 * of an agent never being one (agent names have no `.` or `[`).
 */
export interface CompiledComposition {
  readonly pattern: PurePatternName;
  /**
   * Its path from the hybrid's section: the outer pattern's name (`sequential`); for a nested one,
   * the slot it stands in and its pattern (`sequential.steps[1].fanout`). The name of its
   * `invoke_workflow` span, and what the pattern that holds it calls in place of an agent.
   */
  readonly name: string;
  /**
   * The slot it stands in (`sequential.steps[1]`), which prefixes its facts
   * (`sequential.steps[1].fanout.successes`); '' for the outer pattern, whose facts are its own.
   */
  readonly at: string;
  /** 0 for the outer pattern, 1 for a pattern nested in it, and so on. */
  readonly depth: number;
  /** The pattern's configuration, validated by its own schema, inline patterns replaced by their names. */
  readonly config: unknown;
  /** The inline patterns of `config`, by name. */
  readonly nested: Readonly<Record<string, CompiledComposition>>;
}

/**
 * `patterns.hybrid` as written: exactly one pure pattern, whose configuration may name inline
 * patterns (`{ fanout: { workers: [...] } }`) wherever it names a step, worker, route or subtask
 * worker. This schema checks the shape only (for the JSON Schema and the first check); the
 * compiler validates each level with its pattern's own schema.
 */
export const compositionInputSchema = z
  .partialRecord(z.enum(PURE_PATTERN_NAMES), z.record(z.string(), z.unknown()))
  .refine((value) => Object.keys(value).length === 1, 'must name exactly one pattern (sequential, fanout, router, supervisor or single-agent)')
  .meta({ minProperties: 1, maxProperties: 1 })
  .describe(
    'A composed pattern, compared as its own row: one pattern whose steps, workers, routes or subtask workers may be inline patterns ({ fanout: { workers: [...] } }) instead of agents, nested up to 4 deep.',
  );
