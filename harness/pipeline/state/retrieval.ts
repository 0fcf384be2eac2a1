import { compileSampler, type Sampler } from '../../kernel/distributions.ts';
import type { Rng } from '../../kernel/distribution-types.ts';
import type { AgentCall, AttemptResult } from '../call.ts';
import type { StageEntry } from '../pipeline.ts';
import type { CompiledState } from '../../scenario/schema/state.ts';
import { addStateFact, transfer, type StateChannel } from './state-channel.ts';

type RetrievalSettings = Extract<CompiledState, { strategy: 'retrieval' }>;

/**
 * `state: retrieval`: before its first attempt each agent call queries a shared store
 * (`queryLatency`) and reads `topK` chunks of `tokensPerChunk` instead of the state the pattern
 * passes: its input tokens are its prompt + topK × tokensPerChunk, whatever the state's size. The
 * pieces it needs are the case and each upstream output; each is among those retrieved with
 * probability `recall` (independent draws), and each one missed multiplies the call's chance of
 * being right by `missAccuracy` (`AgentCall.accuracyFactor`, read by the simulated agent): with
 * skill p and n pieces the call is right with p × (recall + (1 − recall) × missAccuracy)^n on
 * average. The store serves queries in parallel (no queue). Results go back as they come. Facts
 * per workflow: `state.queries`, `state.query_ms`, `state.missed`.
 */
export class RetrievalState implements StateChannel {
  readonly #query: Sampler;

  constructor(private readonly settings: RetrievalSettings) {
    this.#query = compileSampler(settings.queryLatencyMs);
  }

  receive(call: AgentCall): StageEntry {
    const settings = this.settings;
    const rng = call.workflow.streams(call.agent.name).named('state');
    const queryMs = this.#query(rng);
    const missed = missedPieces(rng, 1 + call.input.upstream.length, settings.recall);
    call.input = { ...call.input, tokens: settings.topK * settings.tokensPerChunk };
    if (missed > 0) call.accuracyFactor = settings.missAccuracy ** missed;
    addStateFact(call, 'queries', 1);
    addStateFact(call, 'query_ms', queryMs);
    if (missed > 0) addStateFact(call, 'missed', missed);
    return transfer(call, queryMs);
  }

  send(_call: AgentCall, result: AttemptResult): AttemptResult {
    return result;
  }
}

/** Of `pieces` needed, how many a retrieval with `recall` misses (one draw each; none when recall is 1). */
export function missedPieces(rng: Rng, pieces: number, recall: number): number {
  if (recall >= 1) return 0;
  let missed = 0;
  for (let piece = 0; piece < pieces; piece++) if (rng.next() >= recall) missed++;
  return missed;
}
