import { Cancellation } from '../../kernel/clock.ts';
import { NO_USAGE, type AgentCall, type AttemptResult } from '../call.ts';
import type { Stage, Terminal } from '../pipeline.ts';

/**
 * Replicas of autoscaled pools, innermost (after admission, which gave the call a slot of the
 * pool): each model attempt runs on one replica (`AutoscaledPool.assign`) until it ends. On a spot
 * replica the attempt races the replica's reclaim, as the timeout stage races its timer: when the
 * replica is reclaimed first the attempt is cut (its `call.cancel` fires, the agent stops) and
 * ends as `preempted`, with no usage (a self-hosted replica bills by the hour, not by the token:
 * tokens of a cut attempt are neither counted nor priced), which the retry stage retries. Calls on
 * on-demand replicas and on agents without an autoscaled pool take no frame here.
 */
export function preemptionStage(): Stage {
  return {
    name: 'preemption',
    enter(call: AgentCall): AttemptResult | null {
      const pool = call.workflow.run.resources.autoscaled(call.agent);
      return pool === null || pool.assign(call) ? null : preempted(call);
    },
    wrap(call: AgentCall, inner: Terminal): Promise<AttemptResult> | null {
      const handle = call.workflow.run.resources.autoscaled(call.agent)?.preemptible(call) ?? null;
      if (handle === null) return null;
      return new Promise<AttemptResult>((resolve, reject) => {
        const cut = new Cancellation();
        const outer = call.cancel;
        // The pattern's cancellation and the timeout's cut still stop the attempt.
        const unlink = (outer ?? call.input.cancel)?.onCancel(() => cut.cancel());
        call.cancel = cut;
        const settle = (result: AttemptResult): void => {
          handle.preempt = null;
          unlink?.();
          if (call.cancel === cut) call.cancel = outer;
          resolve(result);
        };
        handle.preempt = () => {
          cut.cancel();
          settle(preempted(call));
        };
        inner(call).then((result) => {
          if (handle.preempt !== null) settle(result);
        }, reject);
      });
    },
    release(call: AgentCall): void {
      call.workflow.run.resources.autoscaled(call.agent)?.unassign(call);
    },
  };
}

function preempted(call: AgentCall): AttemptResult {
  return { status: 'error', errorType: 'preempted', message: `${call.agent.name}'s spot replica was reclaimed mid-call`, usage: NO_USAGE, retryAfterMs: null };
}
