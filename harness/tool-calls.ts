import type { AgentCall } from './call.ts';

/**
 * Runs one tool call an agent makes during `call` as an `execute_tool {tool}` span under the call's
 * `invoke_agent` span. `work` performs the call and resolves true when it completed, false when it
 * was cut short (the attempt's deadline or a cancellation), which marks the span as an error. This
 * is where tool-level policy (RBAC, audit) attaches.
 */
export async function executeTool(call: AgentCall, tool: string, work: () => Promise<boolean>): Promise<boolean> {
  const parent = call.span;
  if (parent === null) return work();
  const run = call.workflow.run;
  const span = run.tracer.startChild(parent, `execute_tool ${tool}`, 'internal', run.clock.now(), {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': tool,
    'gen_ai.tool.type': 'function',
    'gen_ai.agent.name': call.agent.name,
  });
  const completed = await work();
  if (!completed) span.setError('cancelled', 'the tool call was cut short by the attempt\'s deadline or a cancellation');
  run.tracer.end(span, run.clock.now());
  return completed;
}
