import { appendAudit } from '../../governance/audit.ts';
import type { AgentCall, AttemptResult } from '../call.ts';
import type { Stage } from '../pipeline.ts';

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
export function auditStage(): Stage {
  return {
    name: 'audit',
    enter(call: AgentCall): null {
      const run = call.workflow.run;
      if (run.audit?.enabled !== true) return null;
      const startMs = run.clock.now();
      for (const output of call.input.upstream) appendCallRow(call, startMs, output.agent, 'agent.message', 'allow', { tokens: output.tokens });
      return null;
    },
    exit(call: AgentCall, result: AttemptResult): AttemptResult {
      const run = call.workflow.run;
      if (run.audit?.enabled !== true) return result;
      const outcome = result.status === 'ok' ? 'ok' : result.errorType;
      // The call's start: when it entered the pipeline, the same instant this stage did.
      const detail = { outcome, start_ms: call.startMs, attempts: call.attempt };
      appendCallRow(call, run.clock.now(), run.pattern, 'agent.call', REFUSALS.has(outcome) ? 'deny' : 'allow', detail);
      return result;
    },
  };
}

/** Appends an audit row about `call`, its span id as request id. */
function appendCallRow(call: AgentCall, timeMs: number, actor: string, action: string, decision: 'allow' | 'deny', detail: Record<string, string | number>): void {
  const workflow = call.workflow;
  const span = call.span;
  appendAudit(workflow.run, {
    timeMs, workflowId: workflow.workflowId, requestId: span?.spanId ?? '', traceId: span?.traceId ?? workflow.root.traceId,
    actor, action, target: call.agent.name, decision, detail,
  });
}
