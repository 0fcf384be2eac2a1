import type { z } from 'zod';
import type { IssueCollector } from './issues.ts';
import type { loadInputSchema, poolInputSchema, rateLimitsInputSchema } from './schema/load.ts';
import type { ConcurrencyPool, LoadModel, RateLimits } from './types.ts';
import { compileAutoscale } from './schema/autoscale.ts';

/** The load model when a scenario has no `load:` section: one workflow at a time. */
export const DEFAULT_LOAD: LoadModel = { kind: 'closed', concurrency: 1, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: null, windowMs: null };

const OPEN_ONLY = ['rate', 'phases', 'maxInFlight'] as const;
const CLOSED_ONLY = ['concurrency', 'thinkTime'] as const;

/** `load:` with its defaults; settings of the other model are reported where they are written. */
export function compileLoad(input: z.output<typeof loadInputSchema>, issues: IssueCollector): LoadModel | undefined {
  const windowMs = input.window ?? null;
  if (windowMs !== null && windowMs <= 0) issues.add(['load', 'window'], 'must be longer than 0');
  if (input.arrivals === 'closed') {
    for (const key of OPEN_ONLY) {
      if (input[key] !== undefined) issues.add(['load', key], `only applies to open arrivals (arrivals: constant or poisson); arrivals is closed`);
    }
    return {
      kind: 'closed',
      concurrency: input.concurrency ?? 1,
      thinkTimeMs: input.thinkTime ?? { kind: 'fixed', value: 0 },
      durationMs: input.duration ?? null,
      windowMs,
    };
  }
  for (const key of CLOSED_ONLY) {
    if (input[key] !== undefined) issues.add(['load', key], `only applies to arrivals: closed; arrivals is ${input.arrivals}`);
  }
  if (input.phases !== undefined && (input.rate !== undefined || input.duration !== undefined)) {
    issues.add(['load', 'phases'], "give either 'phases' or 'rate' and 'duration', not both");
    return undefined;
  }
  let phases;
  if (input.phases !== undefined) {
    phases = input.phases.map((phase) => ({
      durationMs: phase.duration,
      fromPerSecond: phase.rate ?? phase.from ?? 0,
      toPerSecond: phase.rate ?? phase.to ?? 0,
    }));
  } else if (input.rate === undefined || input.duration === undefined) {
    issues.add(['load'], `open arrivals (${input.arrivals}) need 'rate' and 'duration', or 'phases'`);
    return undefined;
  } else {
    phases = [{ durationMs: input.duration, fromPerSecond: input.rate, toPerSecond: input.rate }];
  }
  return { kind: 'open', process: input.arrivals, phases, maxInFlight: input.maxInFlight ?? null, onFull: input.onFull, windowMs };
}

/** `rateLimits:` of a model profile; at least one limit must be given. */
export function compileRateLimits(input: z.output<typeof rateLimitsInputSchema>, path: readonly (string | number)[], issues: IssueCollector): RateLimits | null {
  if (input.requestsPerMinute === undefined && input.tokensPerMinute === undefined) {
    issues.add([...path], 'give requestsPerMinute and/or tokensPerMinute');
    return null;
  }
  return {
    requestsPerMinute: input.requestsPerMinute ?? null,
    tokensPerMinute: input.tokensPerMinute ?? null,
    burst: input.burst,
    onLimit: input.onLimit,
    maxQueue: input.maxQueue ?? null,
  };
}

/** `pool:` of an agent. */
export function compilePool(input: z.output<typeof poolInputSchema> | undefined): ConcurrencyPool | null {
  if (input === undefined) return null;
  // An autoscaled pool starts with its initial replicas' slots (harness/pipeline/autoscale/ resizes it).
  const autoscale = compileAutoscale(input);
  if (autoscale !== undefined) return { slots: autoscale.initialReplicas * autoscale.slotsPerReplica, onFull: input.onFull, maxQueue: input.maxQueue ?? null, autoscale };
  return { slots: input.slots ?? 1, onFull: input.onFull, maxQueue: input.maxQueue ?? null };
}
