import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import { Cancellation } from '../../kernel/clock.ts';
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
      const now = run.clock.now();
      // Compensations undo side effects of a workflow that already failed, its deadline included.
      const workflowDeadline = call.compensating ? Infinity : call.workflow.deadlineMs;
      if (now >= workflowDeadline) return workflowTimedOut(call);
      call.deadlineMs = Math.min(now + timeoutMs, workflowDeadline);
      if (run.agents.get(call.agent.name)?.honoursDeadline === true) return endOf(call, await next(call));

      const attemptCancel = new Cancellation();
      const timerCancel = new Cancellation();
      call.cancel = attemptCancel;
      // A call the pattern cancels stops its attempt too.
      const unlink = call.input.cancel?.onCancel(() => attemptCancel.cancel());
      const attempt = next(call).then((result) => {
        timerCancel.cancel();
        return result;
      });
      const timer = run.clock.sleep(call.deadlineMs - now, timerCancel).then((elapsed) => (elapsed ? timedOut(timeoutMs) : NEVER));
      const result = await Promise.race([attempt, timer]);
      // The attempt cancels the timer when it wins; an uncancelled timer means the timeout won.
      if (!timerCancel.cancelled) attemptCancel.cancel();
      unlink?.();
      call.cancel = null;
      return endOf(call, result);
    },
  };
}

/** A timeout at the workflow's deadline is the workflow's (`workflow_timeout`, never retried). */
function endOf(call: AgentCall, result: AttemptResult): AttemptResult {
  if (result.status === 'error' && result.errorType === 'timeout' && !call.compensating && call.workflow.run.clock.now() >= call.workflow.deadlineMs) {
    return workflowTimedOut(call);
  }
  return result;
}

function workflowTimedOut(call: AgentCall): AttemptResult {
  call.retryable = false;
  const limit = call.workflow.run.scenario.workflowTimeoutMs ?? 0;
  return { status: 'error', errorType: 'workflow_timeout', message: `the workflow ran out of time (workflowTimeout ${limit}ms)`, usage: NO_USAGE, retryAfterMs: null };
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
