import type { z } from 'zod';
import type { IssueCollector } from './issues.ts';
import type { agentInputSchema } from './schema/scenario.ts';
import type { BatchPolicy } from './types.ts';

/**
 * `batch:` of agent `name` compiled: `{ batch }` to spread into the agent, or nothing when it has
 * none (an agent without batching compiles exactly as before). Batching is simulated: an agent
 * with an endpoint (a real server batches its own way) or with tools (each item's tool calls would
 * need turns of their own) is refused, at its `batch:`.
 */
export function compileBatch(name: string, input: z.output<typeof agentInputSchema>, issues: IssueCollector): { batch?: BatchPolicy } {
  const batch = input.batch;
  if (batch === undefined) return {};
  if (input.endpoint !== undefined) issues.add(['agents', name, 'batch'], 'only simulated agents batch: this agent has an endpoint', 'key');
  if (input.tools.length > 0) issues.add(['agents', name, 'batch'], "an agent with tools cannot batch (each item's tool calls would need turns of their own)", 'key');
  return { batch: { size: batch.size, waitMs: batch.wait, accuracyLoss: batch.accuracyLoss, retry: batch.retry } };
}
