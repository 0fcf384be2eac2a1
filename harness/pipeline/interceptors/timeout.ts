import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import { Cancellation } from '../../kernel/clock.ts';
import type { Stage, Terminal } from '../pipeline.ts';

const NEVER = new Promise<never>(() => {});

/**
 * Per-attempt timeout on the run's clock. The attempt's deadline is set on the call; an agent that
 * honours deadlines (simulated agents do) ends the attempt itself as `error.type = timeout` when it
 * is reached, with no timer armed here (and no frame of its own). For other agents the stages
 * inside and the attempt race a timer: when the timeout passes first, `call.cancel` fires (the
 * agent stops waiting) and the attempt ends as `timeout`.
 */
export function timeoutStage(): Stage {
  return {
    name: 'timeout',
    enter(call: AgentCall): AttemptResult | null {
      const now = call.workflow.run.clock.now();
      // Compensations undo side effects of a workflow that already failed, its deadline included.
      const workflowDeadline = call.compensating ? Infinity : call.workflow.deadlineMs;
      if (now >= workflowDeadline) return workflowTimedOut(call);
      call.deadlineMs = Math.min(now + call.agent.timeoutMs, workflowDeadline);
      return null;
    },
    wrap(call: AgentCall, inner: Terminal): Promise<AttemptResult> | null {
      const run = call.workflow.run;
      return run.agents.get(call.agent.name)?.honoursDeadline === true ? null : raceTimer(call, inner);
    },
    exit: endOf,
  };
}

/** The attempt (`inner`) raced against a timer at `call.deadlineMs`: plain promise plumbing, no frame. */
function raceTimer(call: AgentCall, inner: Terminal): Promise<AttemptResult> {
  const clock = call.workflow.run.clock;
  const timeoutMs = call.agent.timeoutMs;
  const attemptCancel = new Cancellation();
  const timerCancel = new Cancellation();
  call.cancel = attemptCancel;
  // A call the pattern cancels stops its attempt too.
  const unlink = call.input.cancel?.onCancel(() => attemptCancel.cancel());
  const attempt = inner(call).then((result) => {
    timerCancel.cancel();
    return result;
  });
  const timer = clock.sleep(call.deadlineMs - clock.now(), timerCancel).then((elapsed) => (elapsed ? timedOut(timeoutMs) : NEVER));
  return Promise.race([attempt, timer]).then((result) => {
    // The attempt cancels the timer when it wins; an uncancelled timer means the timeout won.
    if (!timerCancel.cancelled) attemptCancel.cancel();
    unlink?.();
    call.cancel = null;
    return result;
  });
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
