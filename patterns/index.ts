import type { PatternName } from '../harness/scenario/types.ts';
import { fanoutPattern } from './fanout.ts';
import { hybridPattern, type PureDefinitions } from './hybrid.ts';
import { routerPattern } from './router.ts';
import { sequentialPattern } from './sequential.ts';
import { singleAgentPattern } from './single-agent.ts';
import { supervisorPattern } from './supervisor.ts';
import type { PatternDefinition } from './types.ts';

/**
 * Forgets a definition's config type. Safe because the harness only ever hands a definition the
 * value its own `configSchema` produced.
 */
function erase<C>(definition: PatternDefinition<C>): PatternDefinition<unknown> {
  return definition as unknown as PatternDefinition<unknown>;
}

/** The pure patterns, by name: what a hybrid composes. */
const purePatterns: PureDefinitions = new Map([
  ['sequential', erase(sequentialPattern)],
  ['fanout', erase(fanoutPattern)],
  ['router', erase(routerPattern)],
  ['supervisor', erase(supervisorPattern)],
  ['single-agent', erase(singleAgentPattern)],
]);

/** Every pattern the harness can run, by name: the pure ones, and `hybrid` composing them. */
export const patternDefinitions: ReadonlyMap<PatternName, PatternDefinition<unknown>> = new Map<PatternName, PatternDefinition<unknown>>([
  ...purePatterns,
  ['hybrid', erase(hybridPattern(purePatterns))],
]);
