import { z } from 'zod';
import { durationDistributionSchema, durationSchema } from './distributions.ts';
import { autoscaleInputFields, autoscaleProblems } from './autoscale.ts';

/**
 * Schemas of the load settings: `load:` (arrival models), `rateLimits:` of a model profile, `pool:`
 * of an agent and `thresholds:`.
 */

/** What `parseRate` accepts: `50/s`, `3000/m`, `2.5/min`, `100000/h`. */
export const RATE_PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*\/\s*(s|sec|m|min|h)\s*$/;

const PER_SECOND: Record<string, number> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };

/** `"50/s"` → 50, `"3000/m"` → 50 (per second); null when not a rate. */
export function parseRate(text: string): number | null {
  const match = RATE_PATTERN.exec(text);
  if (match === null) return null;
  return Number(match[1]) * (PER_SECOND[match[2] as string] as number);
}

/** A rate: `"50/s"`, `"3000/m"`, `"1000/h"`, or a number per second. Output: per second. */
export const rateSchema = z
  .union([
    z.number().min(0),
    z
      .string()
      .regex(RATE_PATTERN, { error: (issue) => `${JSON.stringify(issue.input)} is not a rate (use e.g. "50/s", "3000/m", "1000/h")` })
      .transform((text) => parseRate(text) as number),
  ], { error: 'must be a rate such as "50/s", "3000/m", or a number per second' })
  .meta({ id: 'Rate', description: 'Arrivals per unit of time: "50/s", "3000/m", "1000/h", or a number per second.' });

/** An arrival rate that makes arrivals: a rate of 0 would run nothing (as `--rate 0` is refused). */
const positiveRate = rateSchema.refine((rate) => rate > 0, { error: 'must be more than 0: a rate of 0 makes no arrivals' });

const onLimit = z.enum(['queue', 'reject']);
const maxQueue = z.number().int().min(0).optional().describe('Longest queue; a call arriving at a full queue gets a 429. Default unbounded.');

/** `rateLimits:` of a model profile. */
export const rateLimitsInputSchema = z
  .strictObject({
    requestsPerMinute: z.number().gt(0).optional().describe('Requests per minute (RPM). Default unlimited.'),
    tokensPerMinute: z.number().gt(0).optional().describe('Input tokens per minute (TPM). Default unlimited.'),
    burst: z.number().gt(0).lt(1).default(1 / 60).describe(
      "Bucket capacity as a share of the per-minute limit (at least 1): what goes through at once after an idle spell. Refill is the limit per minute, so the sustained rate is the limit and a 60-second window admits at most the limit + capacity. Default 1/60 (one second's worth).",
    ),
    onLimit: onLimit.default('queue').describe('queue (wait for capacity, the wait recorded on the span) or reject (429 with retry-after). Default queue.'),
    maxQueue,
  })
  .meta({ id: 'RateLimits', description: "The provider's rate limits on a model, as token buckets shared by every agent using it." });

/** `pool:` of an agent. */
export const poolInputSchema = z
  .strictObject({
    slots: z.number().int().min(1).optional().describe('Calls the agent serves at once (a fixed pool).'),
    onFull: onLimit.default('queue').describe('queue (wait for a slot) or reject (429). Default queue.'),
    maxQueue,
    ...autoscaleInputFields,
  })
  .superRefine((pool, ctx) => {
    for (const { path, message } of autoscaleProblems(pool)) ctx.addIssue({ code: 'custom', path, message, input: pool });
  })
  .meta({ id: 'Pool', description: "The agent's concurrency pool: fixed slots (e.g. a self-hosted model with 8 slots), or replicas that autoscale." });

const phaseInputSchema = z
  .strictObject({
    duration: durationSchema.describe('Length of the phase.'),
    rate: positiveRate.optional().describe('Constant rate during the phase.'),
    from: rateSchema.optional().describe('Rate at the start of a ramp.'),
    to: rateSchema.optional().describe('Rate at the end of a ramp.'),
  })
  .superRefine((phase, ctx) => {
    const ramp = phase.from !== undefined || phase.to !== undefined;
    if (phase.rate !== undefined && ramp) ctx.addIssue({ code: 'custom', message: "give either 'rate' or 'from' and 'to', not both", input: phase });
    else if (!ramp && phase.rate === undefined) ctx.addIssue({ code: 'custom', message: "give 'rate' (constant) or 'from' and 'to' (a ramp)", input: phase });
    else if (ramp && (phase.from === undefined || phase.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [phase.from === undefined ? 'from' : 'to'], message: "a ramp needs both 'from' and 'to'", input: phase });
    }
  })
  .meta({ id: 'Phase', description: 'A phase of open arrivals: a constant rate, or a linear ramp from one rate to another.' });

/** `load:` — how workflows arrive. */
export const loadInputSchema = z
  .strictObject({
    arrivals: z
      .enum(['closed', 'constant', 'poisson'])
      .default('closed')
      .describe('closed (N workflows in flight), constant (evenly spaced arrivals) or poisson (exponential gaps). Default closed.'),
    concurrency: z.number().int().min(1).optional().describe('closed: workflows in flight. Default 1.'),
    thinkTime: durationDistributionSchema.optional().describe('closed: pause between a workflow ending and the next starting. Default 0.'),
    rate: positiveRate.optional().describe('constant/poisson: arrival rate for `duration`.'),
    duration: durationSchema.optional().describe('closed: stop starting workflows after this long (default: run the cases once); open: length of the run at `rate`.'),
    phases: z.array(phaseInputSchema).min(1).optional().describe('constant/poisson: phases run in order (ramping arrival rate), instead of rate + duration.'),
    maxInFlight: z.number().int().min(1).optional().describe('constant/poisson: cap on workflows in flight. Default none.'),
    onFull: z.enum(['drop', 'queue']).default('drop').describe('At the cap: drop the arrival (counted) or queue it. Default drop.'),
    window: durationSchema.optional().describe('Width of a time-series window. Default 1s (coarser when the run is longer than an hour).'),
  })
  .meta({ id: 'Load', description: 'How workflows arrive: a closed loop or open arrivals (constant, Poisson, ramping phases).' });

/** `thresholds:` — checks like `p95(latency) < 20s` or `router: accuracy > 0.9`. */
/**
 * `minSuccess:` of a scenario: the share of its arrivals a run must complete to count as viable in
 * the report's decision (a run below it is marked failing and wins no ★). A fraction in [0, 1] or a
 * percentage (`95%`).
 */
export const minSuccessInputSchema = z
  .union([
    z.number().min(0, { error: 'must be between 0 and 1 (or a percentage such as 95%)' }).max(1, { error: 'must be between 0 and 1 (or a percentage such as 95%)' }),
    z.string().regex(/^(100|\d{1,2})(\.\d+)?%$/, { error: 'must be between 0 and 1 or a percentage such as 95%' }).transform((text) => Number(text.slice(0, -1)) / 100),
  ])
  .default(0.95)
  .describe('Share of arrivals a run must complete to be viable in the decision (0–1 or "95%"). Default 95%.');

export const thresholdsInputSchema = z
  .array(z.string().min(1))
  .default([])
  .describe('Pass/fail checks on each run, k6-style: "p95(latency) < 20s", "accuracy > 0.9", "router: error_rate < 1%".');
