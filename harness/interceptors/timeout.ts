import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import { Cancellation } from '../clock.ts';
import type { Interceptor, Terminal } from '../pipeline.ts';

const NEVER = new Promise<never>(() => {});

/**
 * Per-attempt timeout on the run's clock. The attempt's deadline is set on the call; an agent that
 * honours deadlines (simulated agents do) ends the attempt itself as `error.type = timeout` when it
 * is reached, with no timer armed here. For other agents the attempt races a timer: when the
 * timeout passes first, `call.cancel` fires (the agent stops waiting) and the attempt ends as
 * `timeout`.
 */
export function timeoutInterceptor(): Interceptor {
  return {
    name: 'timeout',
    async intercept(call: AgentCall, next: Terminal): Promise<AttemptResult> {
      const timeoutMs = call.agent.timeoutMs;
      const run = call.workflow.run;
      call.deadlineMs = run.clock.now() + timeoutMs;
      if (run.agents.get(call.agent.name)?.honoursDeadline === true) return next(call);

      const attemptCancel = new Cancellation();
      const timerCancel = new Cancellation();
      call.cancel = attemptCancel;
      // A call the pattern cancels stops its attempt too.
      const unlink = call.input.cancel?.onCancel(() => attemptCancel.cancel());
      const attempt = next(call).then((result) => {
        timerCancel.cancel();
        return result;
      });
      const timer = run.clock.sleep(timeoutMs, timerCancel).then((elapsed) => (elapsed ? timedOut(timeoutMs) : NEVER));
      const result = await Promise.race([attempt, timer]);
      // The attempt cancels the timer when it wins; an uncancelled timer means the timeout won.
      if (!timerCancel.cancelled) attemptCancel.cancel();
      unlink?.();
      call.cancel = null;
      return result;
    },
  };
}

/** The result of an attempt that ran out of time. */
export function timedOut(timeoutMs: number): AttemptResult {
  return {
    status: 'error',
    errorType: 'timeout',
    message: `no answer within ${timeoutMs}ms`,
    usage: NO_USAGE,
    retryAfterMs: null,
  };
}
