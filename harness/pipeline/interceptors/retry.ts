import type { AgentCall, AttemptResult } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import type { ErrorType, RetryPolicy } from '../../scenario/types.ts';

/**
 * Delay before attempt `attempt + 1` (attempt is 1-based): exponential backoff capped at
 * `maxBackoffMs`, reduced by up to `jitter` × itself with `u` uniform in [0, 1), and never shorter
 * than a 429's retry-after when the policy honours it. Pure.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, u: number, retryAfterMs: number | null): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** (attempt - 1));
  const delay = base * (1 - policy.jitter * u);
  if (policy.honourRetryAfter && retryAfterMs !== null) return Math.max(delay, retryAfterMs);
  return delay;
}

/** Whether `result` of attempt `attempt` should be retried under `policy`. Pure. */
export function shouldRetry(policy: RetryPolicy, attempt: number, result: AttemptResult): boolean {
  if (result.status === 'ok' || attempt >= policy.attempts) return false;
  return policy.retryOn.includes(result.errorType as ErrorType);
}

/**
 * Retries failed attempts per the agent's policy: the loop of the pipeline (harness/pipeline/pipeline.ts
 * runs the stages inside it again after each backoff, waiting on the run's clock). Each retry is a
 * `retry` event on the `invoke_agent` span. A call the pattern cancels (`input.cancel`) is not
 * retried, and a backoff in progress ends at once.
 */
export function retryStage(): Stage {
  return {
    name: 'retry',
    again(call: AgentCall, result: AttemptResult): number | null {
      const attempt = call.attempt;
      if (!call.retryable || !shouldRetry(call.agent.retry, attempt, result) || call.input.cancel?.cancelled === true) return null;
      // A speculative call draws from its fork (patterns/speculation.ts).
      const jitterDraw = (call.input.speculation?.streams ?? call.workflow.streams(call.agent.name)).retry.next();
      const delay = backoffDelay(call.agent.retry, attempt, jitterDraw, result.status === 'error' ? result.retryAfterMs : null);
      call.span?.addEvent('retry', call.workflow.run.clock.now(), {
        'patternbench.attempt': attempt,
        'error.type': result.status === 'error' ? result.errorType : '',
        'patternbench.backoff_ms': delay,
      });
      // The pattern may give up on the call (a fan-out deadline, a time bound) during the backoff.
      return delay;
    },
  };
}
