import { z } from 'zod';
import type { Distribution } from '../../kernel/distribution-types.ts';
import { countDistributionSchema, durationDistributionSchema } from './distributions.ts';

/**
 * `state:` — how agents share state (harness/pipeline/state/). The pattern runs unchanged on top:
 * - `central` (default): the orchestrator hands each agent its slice and merges its result back,
 *   through one serialiser per run (a single FIFO server: `overheadMsPerKb` × KB in and out per
 *   agent call, KB = tokens × `bytesPerToken` ÷ 1024).
 * - `bus`: each agent call consumes one message (its state) from a shared log and publishes one
 *   (its result): `messageLatency` per message, `partitions` keyed by workflow, each a single
 *   consumer taking `consumeTime` per message in order (consumer lag builds under load).
 * - `retrieval`: each agent call queries a shared store (`queryLatency`) and reads `topK` chunks of
 *   `tokensPerChunk` instead of the state passed in; each piece it needs (the case, each upstream
 *   output) is retrieved with probability `recall`, and each miss multiplies the call's chance of
 *   being right by `missAccuracy`.
 * Written as the strategy's name (`state: bus`, every setting at its default) or as a map.
 */

/** The strategies, in documentation order. */
export const STATE_STRATEGIES = ['central', 'bus', 'retrieval'] as const;
export type StateStrategy = (typeof STATE_STRATEGIES)[number];

/** `state:` compiled (distributions in milliseconds). */
export type CompiledState =
  | {
      readonly strategy: 'central';
      /** Serialisation time per KB of state, each way (ms per KB). Default 0. */
      readonly overheadMsPerKb: Distribution;
      /** Bytes per token of state. Default 4. */
      readonly bytesPerToken: number;
    }
  | {
      readonly strategy: 'bus';
      /** Publish-to-deliverable latency of one message. Default 5 ms. */
      readonly messageLatencyMs: Distribution;
      /** Partitions of the log; a workflow's messages all go to partition `workflowId mod partitions`. Default 8. */
      readonly partitions: number;
      /** Time a partition's single consumer spends on one message, in order. Default 0. */
      readonly consumeTimeMs: Distribution;
    }
  | {
      readonly strategy: 'retrieval';
      /** Latency of one query. Default uniform 50–200 ms. */
      readonly queryLatencyMs: Distribution;
      /** Chunks retrieved per agent call. Default 5. */
      readonly topK: number;
      /** Tokens per chunk. Default 200. */
      readonly tokensPerChunk: number;
      /** Probability that each piece a call needs is among those retrieved. Default 1. */
      readonly recall: number;
      /** Multiplier of the call's chance of being right per piece missed. Default 0.5. */
      readonly missAccuracy: number;
    };

const probability = z.number().min(0).max(1);

const centralSchema = z.strictObject({
  strategy: z.literal('central'),
  overheadMsPerKb: countDistributionSchema.prefault(0).describe('Serialisation time per KB of state passed, each way (ms per KB; a number or a distribution). Default 0.'),
  bytesPerToken: z.number().positive().default(4).describe('Bytes per token of state. Default 4.'),
});

const busSchema = z.strictObject({
  strategy: z.literal('bus'),
  messageLatency: durationDistributionSchema.prefault('5ms').describe('Latency of one message, publish to deliverable. Default 5ms.'),
  partitions: z.number().int().min(1).default(8).describe("Partitions of the log; a workflow's messages go to one partition, consumed in order. Default 8."),
  consumeTime: durationDistributionSchema.prefault(0).describe("Time a partition's single consumer spends on one message. Default 0."),
});

const retrievalSchema = z.strictObject({
  strategy: z.literal('retrieval'),
  queryLatency: durationDistributionSchema
    .prefault({ dist: 'uniform', min: 50, max: 200 })
    .describe('Latency of one query of the shared store. Default uniform 50–200 ms.'),
  topK: z.number().int().min(1).default(5).describe('Chunks retrieved per agent call. Default 5.'),
  tokensPerChunk: z.number().int().min(1).default(200).describe('Tokens per chunk. Default 200.'),
  recall: probability.default(1).describe('Probability that each piece a call needs (the case, each upstream output) is retrieved. Default 1.'),
  missAccuracy: probability.default(0.5).describe("Multiplier of a call's chance of being right per piece missed. Default 0.5."),
});

const strategySchema = z.discriminatedUnion('strategy', [centralSchema, busSchema, retrievalSchema]);

/** `state:` as written: a strategy's name or a map with `strategy`. */
export const stateInputSchema = z
  // The map first: a name fails it as a type mismatch, so a bad name is reported by the enum and a bad map by its strategy.
  .union([strategySchema, z.enum(STATE_STRATEGIES).transform((strategy) => strategySchema.parse({ strategy }))], {
    error: `must be one of ${STATE_STRATEGIES.join(', ')}, or a map such as {strategy: bus, messageLatency: 5ms}`,
  })
  .describe('How agents share state: central (the orchestrator passes it), bus (a shared log) or retrieval (a shared store). Default central.');

/** The state section, compiled. */
export function compileState(input: z.output<typeof stateInputSchema>): CompiledState {
  switch (input.strategy) {
    case 'central':
      return { strategy: 'central', overheadMsPerKb: input.overheadMsPerKb, bytesPerToken: input.bytesPerToken };
    case 'bus':
      return { strategy: 'bus', messageLatencyMs: input.messageLatency, partitions: input.partitions, consumeTimeMs: input.consumeTime };
    case 'retrieval':
      return {
        strategy: 'retrieval',
        queryLatencyMs: input.queryLatency,
        topK: input.topK,
        tokensPerChunk: input.tokensPerChunk,
        recall: input.recall,
        missAccuracy: input.missAccuracy,
      };
  }
}
