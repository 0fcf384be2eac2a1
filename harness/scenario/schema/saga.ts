import { z } from 'zod';

/**
 * `compensation:` of an agent: the agent has side effects (reserves inventory, charges a card,
 * sends a notification) and `agent` undoes them. When a later step fails the workflow for good,
 * the side effects done so far are compensated in reverse order (`harness/run/recovery/saga.ts`).
 */
export const compensationInputSchema = z
  .strictObject({
    agent: z
      .string()
      .min(1)
      .describe('Agent of this scenario that undoes the side effect, called through the call pipeline (spans, retries, timeouts).'),
  })
  .meta({
    id: 'Compensation',
    description: 'Marks the agent as side-effecting and names the agent that undoes its side effect when the workflow fails. Default none.',
  });
