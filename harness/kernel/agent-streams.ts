import { hashKey, mixSeed, SeededRng } from './rng.ts';

const LATENCY = hashKey('latency');
const FAULTS = hashKey('faults');
const TOKENS = hashKey('tokens');
const ACCURACY = hashKey('accuracy');
const RETRY = hashKey('retry');
const TOOLS = hashKey('tools');

/**
 * A stream of `AgentStreams`: not yet used (null), in use (its generator), or parked (the draws it
 * had made: the generator is made again, at that position, when next used).
 */
type Stream = SeededRng | number | null;

/**
 * The random streams of one agent inside one workflow, each created on first use. Every concern
 * draws from its own stream, so adding draws to one never shifts another.
 *
 * `park` lets the generators go while the agent is not being called — a chain's earlier steps held
 * theirs to the end of the workflow, ~250 B each per workflow in flight — keeping only how far each
 * had drawn: a stream used again is made anew and advanced there, so it draws what it would have.
 */
export class AgentStreams {
  #latency: Stream = null;
  #faults: Stream = null;
  #tokens: Stream = null;
  #accuracy: Stream = null;
  #retry: Stream = null;
  #tools: Stream = null;
  #others: Map<string, SeededRng> | null = null;

  /** The streams' seed as a signed 32-bit word (`mixSeed` reads it unsigned): a small integer, no heap number per agent in flight. */
  readonly #seed: number;

  constructor(seed: number) {
    this.#seed = seed | 0;
  }

  get latency(): SeededRng {
    const stream = this.#latency;
    return stream instanceof SeededRng ? stream : (this.#latency = this.#open(LATENCY, stream));
  }
  get faults(): SeededRng {
    const stream = this.#faults;
    return stream instanceof SeededRng ? stream : (this.#faults = this.#open(FAULTS, stream));
  }
  get tokens(): SeededRng {
    const stream = this.#tokens;
    return stream instanceof SeededRng ? stream : (this.#tokens = this.#open(TOKENS, stream));
  }
  get accuracy(): SeededRng {
    const stream = this.#accuracy;
    return stream instanceof SeededRng ? stream : (this.#accuracy = this.#open(ACCURACY, stream));
  }
  get retry(): SeededRng {
    const stream = this.#retry;
    return stream instanceof SeededRng ? stream : (this.#retry = this.#open(RETRY, stream));
  }
  get tools(): SeededRng {
    const stream = this.#tools;
    return stream instanceof SeededRng ? stream : (this.#tools = this.#open(TOOLS, stream));
  }

  /** The generator of stream `name`, made anew and advanced to `parked` draws when it was parked. */
  #open(name: number, parked: number | null): SeededRng {
    const rng = new SeededRng(mixSeed(this.#seed, name));
    if (parked !== null) rng.advanceTo(parked);
    return rng;
  }

  /**
   * Lets the generators of the six streams go, keeping their positions (named streams stay). Call
   * only when nothing holds one of them: the agent has no call in flight in this workflow.
   */
  park(): void {
    this.#latency = drawsOf(this.#latency);
    this.#faults = drawsOf(this.#faults);
    this.#tokens = drawsOf(this.#tokens);
    this.#accuracy = drawsOf(this.#accuracy);
    this.#retry = drawsOf(this.#retry);
    this.#tools = drawsOf(this.#tools);
  }

  /** Draws made so far by each stream created, by name. */
  draws(): Record<string, number> {
    // Saved with every checkpoint: written out stream by stream (no temporary object to iterate).
    const draws: Record<string, number> = {};
    if (this.#latency !== null) draws.latency = drawsOf(this.#latency);
    if (this.#faults !== null) draws.faults = drawsOf(this.#faults);
    if (this.#tokens !== null) draws.tokens = drawsOf(this.#tokens);
    if (this.#accuracy !== null) draws.accuracy = drawsOf(this.#accuracy);
    if (this.#retry !== null) draws.retry = drawsOf(this.#retry);
    if (this.#tools !== null) draws.tools = drawsOf(this.#tools);
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
      rng.advanceTo(draws);
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

/** The draws a stream has made (null: none created). */
function drawsOf(stream: SeededRng | number): number;
function drawsOf(stream: Stream): number | null;
function drawsOf(stream: Stream): number | null {
  return stream instanceof SeededRng ? stream.draws : stream;
}
