import type { PatternName } from '../harness/scenario-types.ts';
import { sequentialPattern } from './sequential.ts';
import type { PatternDefinition } from './types.ts';

/**
 * Forgets a definition's config type. Safe because the harness only ever hands a definition the
 * value its own `configSchema` produced.
 */
function erase<C>(definition: PatternDefinition<C>): PatternDefinition<unknown> {
  return definition as unknown as PatternDefinition<unknown>;
}

/** Every pattern the harness can run, by name. Patterns not implemented yet are absent. */
export const patternDefinitions: ReadonlyMap<PatternName, PatternDefinition<unknown>> = new Map([
  ['sequential', erase(sequentialPattern)],
]);
