import { hashKey, mixSeed, SeededRng } from './rng.ts';

const LATENCY = hashKey('latency');
const FAULTS = hashKey('faults');
const TOKENS = hashKey('tokens');
const ACCURACY = hashKey('accuracy');
const RETRY = hashKey('retry');
const TOOLS = hashKey('tools');

/**
 * The random streams of one agent inside one workflow, each created on first use. Every concern
 * draws from its own stream, so adding draws to one never shifts another.
 */
export class AgentStreams {
  #latency: SeededRng | null = null;
  #faults: SeededRng | null = null;
  #tokens: SeededRng | null = null;
  #accuracy: SeededRng | null = null;
  #retry: SeededRng | null = null;
  #tools: SeededRng | null = null;
  #others: Map<string, SeededRng> | null = null;

  /** The streams' seed as a signed 32-bit word (`mixSeed` reads it unsigned): a small integer, no heap number per agent in flight. */
  readonly #seed: number;

  constructor(seed: number) {
    this.#seed = seed | 0;
  }

  get latency(): SeededRng {
    return (this.#latency ??= new SeededRng(mixSeed(this.#seed, LATENCY)));
  }
  get faults(): SeededRng {
    return (this.#faults ??= new SeededRng(mixSeed(this.#seed, FAULTS)));
  }
  get tokens(): SeededRng {
    return (this.#tokens ??= new SeededRng(mixSeed(this.#seed, TOKENS)));
  }
  get accuracy(): SeededRng {
    return (this.#accuracy ??= new SeededRng(mixSeed(this.#seed, ACCURACY)));
  }
  get retry(): SeededRng {
    return (this.#retry ??= new SeededRng(mixSeed(this.#seed, RETRY)));
  }
  get tools(): SeededRng {
    return (this.#tools ??= new SeededRng(mixSeed(this.#seed, TOOLS)));
  }

  /** Draws made so far by each stream created, by name. */
  draws(): Record<string, number> {
    // Saved with every checkpoint: written out stream by stream (no temporary object to iterate).
    const draws: Record<string, number> = {};
    if (this.#latency !== null) draws.latency = this.#latency.draws;
    if (this.#faults !== null) draws.faults = this.#faults.draws;
    if (this.#tokens !== null) draws.tokens = this.#tokens.draws;
    if (this.#accuracy !== null) draws.accuracy = this.#accuracy.draws;
    if (this.#retry !== null) draws.retry = this.#retry.draws;
    if (this.#tools !== null) draws.tools = this.#tools.draws;
    if (this.#others !== null) for (const [name, rng] of this.#others) draws[`named:${name}`] = rng.draws;
    return draws;
  }

  /**
   * A copy of these streams at their present position (a speculative call draws from it, so that a
   * call redone on the real input draws what it would have drawn had there been no speculation).
   */
  fork(): AgentStreams {
    const copy = new AgentStreams(this.#seed);
    copy.catchUp(this);
    return copy;
  }

  /** Advances each stream of `other` created so far to its position (a fork whose draws are adopted). */
  catchUp(other: AgentStreams): void {
    for (const [name, draws] of Object.entries(other.draws())) {
      const rng = name.startsWith('named:') ? this.named(name.slice(6)) : this[name as 'latency' | 'faults' | 'tokens' | 'accuracy' | 'retry' | 'tools'];
      while (rng.draws < draws) rng.nextUint32();
    }
  }

  /** Any other named stream (later capabilities add their own). */
  named(name: string): SeededRng {
    const others = (this.#others ??= new Map());
    let rng = others.get(name);
    if (rng === undefined) {
      rng = new SeededRng(mixSeed(this.#seed, hashKey(name)));
      others.set(name, rng);
    }
    return rng;
  }
}
