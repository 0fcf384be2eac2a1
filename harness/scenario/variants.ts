/**
 * Variants: named overrides of a scenario (`variants:`), each compiled as a scenario of its own so
 * that the run matrix can compare them (scenario × pattern × variant × seed). A variant may
 * override any section but `name`, `seed` and `variants`; maps merge key by key, anything else
 * (lists, numbers, strings) replaces, and `null` removes a key (e.g. a pattern). A distribution
 * that names its `dist` replaces the base one whole (so a variant can change its kind, e.g.
 * uniform {min, max} → lognormal {p50, p95}); one without `dist` merges into it (`{ p95: 900 }`).
 * A `state:` map replaces the base one whole too (another strategy's settings would not fit it).
 */
import { TRUST_SECTIONS } from './schema/trust.ts';
import { PRIVACY_SECTIONS } from './schema/privacy.ts';

/** Sections a variant may override. */
export const VARIANT_SECTIONS = ['description', 'models', 'agents', 'cases', 'labels', 'patterns', 'accuracy', 'network', 'scoring', 'load', 'thresholds', 'minSuccess', 'budgets', 'workflowTimeout', 'state', ...TRUST_SECTIONS, ...PRIVACY_SECTIONS] as const;

/** The name of the scenario as written, without variant. */
export const BASE_VARIANT = 'base';

/** Variant names: like agent names. */
export const VARIANT_NAME = /^[a-z0-9][a-z0-9-_]*$/;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A distribution written as a map: `{ dist: <name>, … }` (an agent named `dist` holds a map, not a name). */
function isDistribution(value: Record<string, unknown>): boolean {
  return typeof value['dist'] === 'string';
}

/**
 * `base` with `override` merged in (pure): maps merge recursively, other values replace, `null`
 * deletes; a distribution naming its `dist` replaces whole.
 */
export function mergeOverride(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override) || isDistribution(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = key in base ? mergeOverride(base[key], value) : value;
  }
  return merged;
}

/** The document of variant `name`: the scenario without `variants`, with the variant's overrides merged in. */
export function variantDocument(document: Readonly<Record<string, unknown>>, override: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { variants: _variants, ...base } = document;
  const merged = mergeOverride(base, override) as Record<string, unknown>;
  // `state:` names its strategy: a variant's replaces the base one whole (another strategy's settings would not fit).
  if (isMap(override['state'])) merged['state'] = override['state'];
  return merged;
}
