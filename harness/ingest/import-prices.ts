/**
 * Prices for the model attempts of foreign traces, which rarely carry a cost: the built-in model
 * profiles' prices, and those of a `--prices` file, by model id. An id matches a price's id
 * exactly, or once a date suffix is removed from either (`gpt-4.1-mini-2025-04-14` is
 * `gpt-4.1-mini`); the response model is tried before the request model, and a file's prices
 * before the built-in ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { HarnessError } from '../kernel/errors.ts';
import type { Attributes } from '../kernel/records.ts';
import { BUILTIN_PROFILES } from '../scenario/model-profiles.ts';
import type { Pricing } from '../scenario/types.ts';

/** Prices by model id (US dollars per million tokens). */
export type PriceList = ReadonlyMap<string, Pricing>;

const PRICE = z.strictObject({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  /** Default: the input price. */
  cachedInputPerMTok: z.number().nonnegative().optional(),
});
const PRICE_FILE = z.record(z.string().min(1), PRICE);

/** The built-in profiles' prices by model id. */
export function builtinPrices(): PriceList {
  return new Map([...BUILTIN_PROFILES.values()].map((profile) => [profile.model, profile.pricing]));
}

/**
 * The prices of a YAML or JSON file mapping model ids to `{ inputPerMTok, outputPerMTok,
 * cachedInputPerMTok? }`, before the built-in ones; `USAGE` (naming the file and the field) when it is not such a file.
 */
export function readPriceFile(path: string): PriceList {
  if (!existsSync(path)) throw new HarnessError('USAGE', `no price file at ${path}`);
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HarnessError('USAGE', `${path}: not YAML or JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = PRICE_FILE.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HarnessError('USAGE', `${path}: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(top)'}: ${issue.message}`} (expected model id: { inputPerMTok, outputPerMTok, cachedInputPerMTok? })`);
  }
  const prices = new Map<string, Pricing>();
  for (const [model, price] of Object.entries(parsed.data)) {
    prices.set(model, { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, cachedInputPerMTok: price.cachedInputPerMTok ?? price.inputPerMTok });
  }
  for (const [model, pricing] of builtinPrices()) if (!prices.has(model)) prices.set(model, pricing);
  return prices;
}

/** `id` without a date suffix (`-2025-04-14`, `-20250929`). */
function undated(id: string): string {
  return id.replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '');
}

/** The price of the first of `models` the list knows; undefined when none. */
export function priceOf(prices: PriceList, models: readonly string[]): Pricing | undefined {
  for (const model of models) {
    const exact = prices.get(model);
    if (exact !== undefined) return exact;
  }
  for (const model of models) {
    for (const [id, pricing] of prices) if (undated(id) === undated(model)) return pricing;
  }
  return undefined;
}

/** US dollars for an attempt's tokens (cached input at the cached price, as a run prices them). */
export function attemptCostUsd(attributes: Attributes, pricing: Pricing): number {
  const count = (key: string): number => (typeof attributes[key] === 'number' ? attributes[key] : 0);
  const cached = count('gen_ai.usage.cache_read.input_tokens');
  const uncached = Math.max(0, count('gen_ai.usage.input_tokens') - cached);
  return (uncached * pricing.inputPerMTok + cached * pricing.cachedInputPerMTok + count('gen_ai.usage.output_tokens') * pricing.outputPerMTok) / 1_000_000;
}
