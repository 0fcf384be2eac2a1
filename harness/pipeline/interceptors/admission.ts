import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import type { Interceptor, Terminal } from '../pipeline.ts';
import type { Admission, SharedResource } from '../shared-resource.ts';
import { timedOut } from './timeout.ts';

/**
 * Rate limits and concurrency pools, innermost: each model attempt takes a slot of the agent's
 * pool (held until the attempt ends), then passes the provider's rate limit (requests and input
 * tokens per minute). A call that must wait queues, bounded by the attempt's deadline; the wait is
 * recorded on the `chat` span as `patternbench.queue.wait_ms` (and the resource that held it as
 * `patternbench.queue.resource`). A refusal is a 429 (`rate_limit`, with a retry-after when a
 * rate limit knows when capacity returns), retried like any other.
 */
export function admissionInterceptor(): Interceptor {
  return {
    name: 'admission',
    async intercept(call: AgentCall, next: Terminal): Promise<AttemptResult> {
      const resources = call.workflow.run.resources;
      const pool = resources.pool(call.agent);
      const limit = resources.rateLimit(call.agent);
      if (pool === null && limit === null) return next(call);
      const cancel = call.cancel ?? call.input.cancel ?? null;
      let waitMs = 0;
      let held: SharedResource | null = null;
      try {
        for (const resource of [pool, limit]) {
          if (resource === null) continue;
          const cost = call.agent.promptTokens + call.input.tokens;
          const admission = await resource.acquire(cost, call.deadlineMs, cancel);
          waitMs += admission.waitMs;
          if (admission.waitMs > 0) call.attemptSpan?.setAttribute('patternbench.queue.resource', resource.name);
          if (!admission.admitted) {
            record(call, waitMs);
            return refused(call, resource, admission);
          }
          if (resource === pool) held = pool;
        }
        record(call, waitMs);
        return await next(call);
      } finally {
        held?.release();
      }
    },
  };
}

function record(call: AgentCall, waitMs: number): void {
  if (waitMs > 0) call.attemptSpan?.setAttribute('patternbench.queue.wait_ms', waitMs);
}

function refused(call: AgentCall, resource: SharedResource, admission: Extract<Admission, { admitted: false }>): AttemptResult {
  if (admission.reason === 'timeout') return timedOut(call.agent.timeoutMs);
  if (admission.reason === 'cancelled') {
    return { status: 'error', errorType: 'cancelled', message: `cancelled while queued at ${resource.name}`, usage: NO_USAGE, retryAfterMs: null };
  }
  return {
    status: 'error',
    errorType: 'rate_limit',
    message: `429: ${resource.name} is at its limit`,
    usage: NO_USAGE,
    retryAfterMs: admission.retryAfterMs,
  };
}
