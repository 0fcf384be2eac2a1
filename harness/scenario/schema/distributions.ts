import { z } from 'zod';
import type { Distribution } from '../../kernel/distribution-types.ts';
import { MAX_DURATION_MS, parseDuration } from '../../kernel/duration.ts';

/**
 * YAML forms of distributions. A scalar means a fixed value; otherwise an object with a `dist`
 * discriminator. Duration distributions take `"250ms"`-style strings or numbers (milliseconds) for
 * each value; count distributions take numbers only. All compile to `Distribution` (milliseconds).
 */

/** The `dist` names a scenario may use. */
export const DISTRIBUTION_NAMES = ['fixed', 'uniform', 'normal', 'lognormal', 'exponential', 'empirical'] as const;

/** What `parseDuration` accepts, as a pattern editors can check against (JSON Schema). */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|ms|s|m|h)\s*$/;

const durationString = z
  .string()
  .regex(DURATION_PATTERN, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a duration (use e.g. "250ms", "3s", "2m", "1h")`,
  })
  .transform((text, context) => {
    try {
      return parseDuration(text);
    } catch (error) {
      context.issues.push({ code: 'custom', input: text, message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });

/** A duration: `"250ms"`, `"3s"`, `"1.5m"`, `"2h"`, `"40us"`, or a number of milliseconds ≥ 0. Output: ms. */
export const durationSchema = z
  .union([z.number().min(0).max(MAX_DURATION_MS, { error: 'must be at most 30 days (2592000000 ms)' }), durationString], {
    error: 'must be a number of milliseconds or a duration such as "250ms"',
  })
  .meta({ id: 'Duration', description: 'A duration such as "250ms", "3s", "2m", "1h", or a number of milliseconds.' });

const countSchema = z.number().min(0);

type Value = typeof durationSchema | typeof countSchema;

/** How a value of this kind is shown in a message: `400ms` or `400`. */
type Show = (value: number) => string;

function distributionObjects(value: Value, show: Show) {
  const fixed = z.strictObject({ dist: z.literal('fixed'), value }).transform((d): Distribution => ({ kind: 'fixed', value: d.value }));
  const uniform = z
    .strictObject({ dist: z.literal('uniform'), min: value, max: value })
    .superRefine((d, ctx) => {
      if (d.max < d.min) ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${show(d.max)}) must not be less than min (${show(d.min)})`, input: d.max });
    })
    .transform((d): Distribution => ({ kind: 'uniform', min: d.min, max: d.max }));
  const normal = z
    .strictObject({ dist: z.literal('normal'), mean: value, sd: value, min: value.optional() })
    .transform((d): Distribution => ({ kind: 'normal', mean: d.mean, sd: d.sd, min: d.min ?? 0 }));
  const lognormal = z
    .strictObject({ dist: z.literal('lognormal'), p50: value, p95: value })
    .superRefine((d, ctx) => {
      if (d.p50 <= 0) ctx.addIssue({ code: 'custom', path: ['p50'], message: `p50 must be greater than 0, got ${show(d.p50)}`, input: d.p50 });
      else if (d.p95 <= d.p50)
        ctx.addIssue({ code: 'custom', path: ['p95'], message: `p95 (${show(d.p95)}) must be greater than p50 (${show(d.p50)})`, input: d.p95 });
    })
    .transform((d): Distribution => ({ kind: 'lognormal', p50: d.p50, p95: d.p95 }));
  const exponential = z
    .strictObject({ dist: z.literal('exponential'), mean: value })
    .superRefine((d, ctx) => {
      if (d.mean <= 0) ctx.addIssue({ code: 'custom', path: ['mean'], message: `mean must be greater than 0, got ${show(d.mean)}`, input: d.mean });
    })
    .transform((d): Distribution => ({ kind: 'exponential', mean: d.mean }));
  const empirical = z
    .strictObject({ dist: z.literal('empirical'), values: z.array(value).min(1) })
    .transform((d): Distribution => ({ kind: 'empirical', values: d.values }));
  return z.discriminatedUnion('dist', [fixed, uniform, normal, lognormal, exponential, empirical]);
}

const showMs: Show = (ms) => `${ms}ms`;
const showCount: Show = (count) => String(count);

/**
 * A duration distribution: `"250ms"`, `3000`, or e.g. `{dist: lognormal, p50: 400ms, p95: 2s}`.
 * Output: a `Distribution` in milliseconds.
 */
export const durationDistributionSchema = z.union(
  [durationSchema.transform((ms): Distribution => ({ kind: 'fixed', value: ms })), distributionObjects(durationSchema, showMs)],
  { error: 'must be a duration such as "250ms", a number of milliseconds, or a distribution such as {dist: lognormal, p50: 400ms, p95: 2s}' },
).meta({ id: 'DurationDistribution', description: 'A fixed duration, or {dist: fixed|uniform|normal|lognormal|exponential|empirical, …}.' });

/** A count distribution (tokens): `300`, or e.g. `{dist: lognormal, p50: 400, p95: 900}`. */
export const countDistributionSchema = z.union(
  [countSchema.transform((count): Distribution => ({ kind: 'fixed', value: count })), distributionObjects(countSchema, showCount)],
  { error: 'must be a number or a distribution such as {dist: lognormal, p50: 400, p95: 900}' },
).meta({ id: 'CountDistribution', description: 'A fixed count, or {dist: fixed|uniform|normal|lognormal|exponential|empirical, …}.' });
