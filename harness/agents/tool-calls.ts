import type { AgentCall } from '../pipeline/call.ts';
import { authoriseTool, onDenied, recordToolDecision } from '../governance/rbac.ts';
import type { Attributes } from '../kernel/records.ts';

/**
 * How a tool call ended: `completed`; `cut` short by the attempt's deadline or a cancellation;
 * `denied` by RBAC under `onDenied: fail` (the step must fail as `tool_denied`); `skipped`: denied
 * under `onDenied: skip` (the agent goes on without the tool).
 */
export type ToolOutcome = 'completed' | 'cut' | 'denied' | 'skipped';

/**
 * Runs one tool call an agent makes during `call` as an `execute_tool {tool}` span under the call's
 * `invoke_agent` span (with `attributes` on top of the standard ones). RBAC decides first
 * (harness/governance/rbac.ts): a denied call does no work and is recorded. Every tool call is an `audit` row.
 * `work` performs the call and resolves true when it completed, false when it was cut short, which
 * marks the span as an error.
 */
export async function executeTool(call: AgentCall, tool: string, work: () => Promise<boolean>, attributes: Attributes = {}): Promise<ToolOutcome> {
  const decision = authoriseTool(call, tool);
  const denied: ToolOutcome = onDenied(call) === 'fail' ? 'denied' : 'skipped';
  const parent = call.span;
  if (parent === null) {
    if (decision === 'deny') return denied;
    return (await work()) ? 'completed' : 'cut';
  }
  const run = call.workflow.run;
  const span = run.tracer.startChild(parent, `execute_tool ${tool}`, 'internal', run.clock.now(), {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': tool,
    'gen_ai.tool.type': 'function',
    'gen_ai.agent.name': call.agent.name,
    ...attributes,
  });
  recordToolDecision(call, tool, span, decision);
  if (decision === 'deny') {
    run.tracer.end(span, run.clock.now());
    return denied;
  }
  const completed = await work();
  if (!completed) span.setError('cancelled', 'the tool call was cut short by the attempt\'s deadline or a cancellation');
  run.tracer.end(span, run.clock.now());
  return completed ? 'completed' : 'cut';
}
