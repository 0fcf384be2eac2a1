import type { Usage } from '../call.ts';

/**
 * The usage of each item of a batch (pure): the batch is billed once for its shared prompt
 * (`promptTokens`, of which `cachedTokens` served from the provider's cache) plus every item's own
 * input and output tokens. Each item is charged its own tokens and an equal share of the prompt,
 * in whole tokens: ⌊prompt ÷ n⌋ each, the first `prompt mod n` items one more (the cached tokens
 * split the same way), so the items' usages add up to the batch's exactly, and — cost being linear
 * in tokens — their costs to the batch's cost.
 */
export function splitBatchUsage(promptTokens: number, cachedTokens: number, itemInputTokens: readonly number[], itemOutputTokens: readonly number[]): Usage[] {
  const n = itemInputTokens.length;
  const share = (total: number, index: number): number => Math.floor(total / n) + (index < total % n ? 1 : 0);
  return itemInputTokens.map((input, index) => ({
    inputTokens: share(promptTokens, index) + input,
    outputTokens: itemOutputTokens[index] as number,
    cachedTokens: share(cachedTokens, index),
  }));
}

