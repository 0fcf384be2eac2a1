import type { AgentCall, AttemptResult } from './call.ts';

/** The rest of the pipeline from some point inward; the innermost one performs one model attempt. */
export type Terminal = (call: AgentCall) => Promise<AttemptResult>;

/**
 * One cross-cutting concern around agent calls (tracing, accounting, retries, timeouts, and later
 * budgets, breakers, rate limits, RBAC, masking). `next(call)` runs the rest of the pipeline; an
 * interceptor may call it zero times (short-circuit), once, or several times (retries).
 */
export interface Interceptor {
  readonly name: string;
  intercept(call: AgentCall, next: Terminal): Promise<AttemptResult>;
}

/**
 * Composes interceptors, outermost first, around `terminal`. The chain is built once, so a call
 * allocates no closures on its way through.
 */
export function composePipeline(interceptors: readonly Interceptor[], terminal: Terminal): Terminal {
  let chain = terminal;
  for (let index = interceptors.length - 1; index >= 0; index--) {
    const interceptor = interceptors[index] as Interceptor;
    const next = chain;
    chain = (call) => interceptor.intercept(call, next);
  }
  return chain;
}
