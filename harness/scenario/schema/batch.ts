import { z } from 'zod';
import { durationSchema } from './distributions.ts';

/**
 * `batch:` of an agent: calls from different workflows grouped into one model call
 * (harness/pipeline/batching/). For non-real-time workflows: the wait counts in each item's latency.
 */
export const batchInputSchema = z
  .strictObject({
    size: z
      .number()
      .int()
      .min(1)
      .describe('The largest batch, a whole number ≥ 1: a batch is sent as soon as this many items wait (a range such as 5..10 is not accepted: a batch that does not fill goes out after `wait`).'),
    wait: durationSchema
      .default(30_000)
      .describe("Longest an item waits for the batch to fill: a batch is sent when its first item has waited this long. Counts in each item's latency. Default 30s."),
    accuracyLoss: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe("Accuracy each item loses per other item in its batch: a batch of n answers each item right with the agent's accuracy − accuracyLoss × (n − 1). Default 0."),
    retry: z
      .enum(['batch', 'item'])
      .default('batch')
      .describe('How failed items retry (the agent\'s retry policy): batch = back into the batcher (items that fail together and back off alike go out together again); item = each alone, as a single call. Default batch.'),
  })
  .meta({
    id: 'Batch',
    description:
      "Batching: calls from different workflows to this agent go out as one model call (the prompt once + every item's tokens; the items' outputs; one call's latency). Simulated agents without tools only.",
  });
