import { appendAudit } from '../../governance/audit.ts';
import type { AgentCall, AttemptResult } from '../call.ts';
import type { Interceptor, Terminal } from '../pipeline.ts';

/** Error types that are the pipeline refusing a call rather than the agent failing it. */
const REFUSALS: ReadonlySet<string> = new Set(['budget_exceeded', 'circuit_open', 'tool_denied']);

/**
 * The audit trail of agent calls (harness/governance/audit.ts), just inside the `invoke_agent` span so each
 * row carries its span id as request id: one `agent.message` row per upstream output handed to the
 * agent (actor: the agent that produced it), then, once the call is over, one `agent.call` row
 * (actor: the pattern) with its outcome — decision `deny` when the pipeline refused it (budget
 * spent, circuit open, tool denied), else `allow`. Tool calls and masking decisions are audited
 * where they happen (harness/agents/tool-calls.ts, interceptors/pii-mask.ts).
 */
export function auditInterceptor(): Interceptor {
  return {
    name: 'audit',
    async intercept(call: AgentCall, next: Terminal): Promise<AttemptResult> {
      const workflow = call.workflow;
      const run = workflow.run;
      if (run.audit?.enabled !== true) return next(call);
      const requestId = call.span?.spanId ?? '';
      const traceId = call.span?.traceId ?? workflow.root.traceId;
      const startMs = run.clock.now();
      const agent = call.agent.name;
      for (const output of call.input.upstream) {
        appendAudit(run, {
          timeMs: startMs, workflowId: workflow.workflowId, requestId, traceId,
          actor: output.agent, action: 'agent.message', target: agent, decision: 'allow', detail: { tokens: output.tokens },
        });
      }
      const result = await next(call);
      const outcome = result.status === 'ok' ? 'ok' : result.errorType;
      appendAudit(run, {
        timeMs: run.clock.now(), workflowId: workflow.workflowId, requestId, traceId,
        actor: run.pattern, action: 'agent.call', target: agent, decision: REFUSALS.has(outcome) ? 'deny' : 'allow',
        detail: { outcome, start_ms: startMs, attempts: call.attempt },
      });
      return result;
    },
  };
}
