/**
 * Span attributes under the names of earlier releases (and of earlier drafts of the OpenTelemetry
 * GenAI conventions), read as today's, so that traces exported before schema version 6 import into
 * a file that follows the current conventions and its reports count nothing twice.
 */
import type { Attributes } from '../kernel/records.ts';

/** The cost attribute up to schema version 5: on every span level, each level the total of its model attempts. */
export const LEGACY_COST = 'gen_ai.usage.cost';

/** Operations whose legacy cost was a roll-up of their model attempts' costs, not a cost of their own. */
const ROLLED_UP = new Set(['invoke_agent', 'invoke_workflow']);

/**
 * `attributes` with `gen_ai.usage.cost` read as today's names: on an `invoke_agent` or
 * `invoke_workflow` span it is dropped (it was the sum of the attempts below, which keep theirs);
 * on any other span it becomes `gen_ai.usage.cost.amount` with `gen_ai.usage.cost.currency` `USD`
 * (unless the span names an amount or a currency of its own). Returns `attributes` itself when
 * there is nothing to rename. Pure.
 */
export function withCurrentGenAiNames(attributes: Attributes): Attributes {
  const legacy = attributes[LEGACY_COST];
  if (legacy === undefined) return attributes;
  const current: Attributes = { ...attributes };
  delete current[LEGACY_COST];
  const operation = attributes['gen_ai.operation.name'];
  if (typeof operation === 'string' && ROLLED_UP.has(operation)) return current;
  current['gen_ai.usage.cost.amount'] ??= legacy;
  current['gen_ai.usage.cost.currency'] ??= 'USD';
  return current;
}
