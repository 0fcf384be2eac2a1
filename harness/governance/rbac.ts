import { appendAudit } from './audit.ts';
import type { AgentCall } from '../pipeline/call.ts';
import type { ActiveSpan } from '../kernel/tracer.ts';
import type { OnDenied } from '../scenario/trust-types.ts';

/**
 * Tool-level RBAC (issue 7): an agent may call the tools its roles allow (scenario `roles:`, agent
 * `accessRoles:`). A tool call RBAC denies is recorded on its `execute_tool` span (status error,
 * `error.type = tool_denied`, `patternbench.rbac.decision = deny`), as an `audit` row and as a
 * `tool.denied` event, and then fails the step or is skipped per `toolPolicy.onDenied`.
 */

/** The `execute_tool` span attribute holding the RBAC decision (`allow` or `deny`; absent when RBAC is off). */
export const RBAC_DECISION = 'patternbench.rbac.decision';

/** The `error.type` of a tool call RBAC denied, and of a step failed by one (`onDenied: fail`). */
export const TOOL_DENIED = 'tool_denied';

/** Whether `tool` matches one of `allowed`: a tool name, or a wildcard `prefix.*` for every `prefix.<name>`. Pure. */
export function toolAllowed(allowed: readonly string[], tool: string): boolean {
  for (const pattern of allowed) {
    if (pattern === tool) return true;
    if (pattern.endsWith('.*') && tool.startsWith(pattern.slice(0, -1))) return true;
  }
  return false;
}

/** RBAC's decision on `call`'s agent calling `tool`: `allow`, `deny`, or null when the scenario has no `roles:`. */
export function authoriseTool(call: AgentCall, tool: string): 'allow' | 'deny' | null {
  const allowedTools = call.workflow.run.scenario.access.allowedTools;
  if (allowedTools === null) return null;
  return toolAllowed(allowedTools.get(call.agent.name) ?? [], tool) ? 'allow' : 'deny';
}

/** What a denied tool call of `call`'s agent does: the agent's own policy, else the scenario's. */
export function onDenied(call: AgentCall): OnDenied {
  return call.agent.access.onDenied ?? call.workflow.run.scenario.access.onDenied;
}

/**
 * Records the decision on a tool call: the span attribute (when RBAC is on), an `audit` row
 * (`tool.call`, decision `allow` or `deny`), and for a denial the span's error and a `tool.denied`
 * event (subject = the agent; detail: tool, roles, policy).
 */
export function recordToolDecision(call: AgentCall, tool: string, span: ActiveSpan, decision: 'allow' | 'deny' | null): void {
  const run = call.workflow.run;
  const agent = call.agent;
  const now = run.clock.now();
  if (decision !== null) span.attributes[RBAC_DECISION] = decision;
  const roles = agent.access.roles.join(',');
  appendAudit(run, {
    timeMs: now,
    workflowId: call.workflow.workflowId,
    requestId: span.spanId,
    traceId: span.traceId,
    actor: agent.name,
    action: 'tool.call',
    target: tool,
    decision: decision ?? 'allow',
    detail: { 'patternbench.rbac.roles': roles },
  });
  if (decision !== 'deny') return;
  const policy = onDenied(call);
  span.setError(TOOL_DENIED, `${agent.name} may not call ${tool}: no role of its (${roles || 'none'}) allows it`);
  run.events.emit('tool.denied', agent.name, now, { 'gen_ai.tool.name': tool, 'patternbench.rbac.roles': roles, 'patternbench.rbac.on_denied': policy }, span);
}
