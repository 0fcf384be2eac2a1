import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import type { Admission, SharedResource } from '../shared-resource.ts';
import { timedOut } from './timeout.ts';

/**
 * Rate limits and concurrency pools, innermost: each model attempt takes a slot of the agent's
 * pool (held until the attempt ends), then passes the provider's rate limit (requests and input
 * tokens per minute). A call that must wait queues, bounded by the attempt's deadline; the wait is
 * recorded on the `chat` span as `patternbench.queue.wait_ms` (and the resource that held it as
 * `patternbench.queue.resource`). A refusal is a 429 (`rate_limit`, with a retry-after when a
 * rate limit knows when capacity returns), retried like any other. Admitted at once, a call
 * allocates no promise here.
 */
export function admissionStage(): Stage {
  return {
    name: 'admission',
    enter(call: AgentCall): AttemptResult | null | Promise<AttemptResult | null> {
      const resources = call.workflow.run.resources;
      const pool = resources.pool(call.agent);
      const limit = resources.rateLimit(call.agent);
      if (pool === null && limit === null) return null;
      return admitFrom(call, pool, limit, (pool ?? limit) as SharedResource, 0);
    },
    release(call: AgentCall): void {
      const held = call.heldSlot;
      call.heldSlot = null;
      held?.release();
    },
  };
}

/**
 * Passes `call` through `resource` and then, when `resource` is the pool, through `limit`, having
 * waited `waitMs` so far: null once admitted by both, else the refusal. A promise only while it
 * queues. The pool's slot is held on the call (`heldSlot`) as soon as it is taken.
 */
function admitFrom(call: AgentCall, pool: SharedResource | null, limit: SharedResource | null, resource: SharedResource, waitMs: number): AttemptResult | null | Promise<AttemptResult | null> {
  const cancel = call.cancel ?? call.input.cancel ?? null;
  const admission = resource.admit(call.agent.promptTokens + call.input.tokens, call.deadlineMs, cancel);
  if (admission instanceof Promise) return admission.then((settled) => admitted(call, pool, limit, resource, waitMs, settled));
  return admitted(call, pool, limit, resource, waitMs, admission);
}

/** Goes on from `resource`'s `admission`: the next resource, or the end (null: admitted; else the refusal). */
function admitted(call: AgentCall, pool: SharedResource | null, limit: SharedResource | null, resource: SharedResource, waitMs: number, admission: Admission): AttemptResult | null | Promise<AttemptResult | null> {
  const waited = waitMs + admission.waitMs;
  if (admission.waitMs > 0) call.attemptSpan?.setAttribute('patternbench.queue.resource', resource.name);
  if (!admission.admitted) {
    record(call, waited);
    return refused(call, resource, admission);
  }
  if (resource === pool) {
    call.heldSlot = pool;
    if (limit !== null) return admitFrom(call, pool, limit, limit, waited);
  }
  record(call, waited);
  return null;
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
