import type { RunContext } from './run-context.ts';
import { hashKey, mixSeed, SeededRng } from './rng.ts';
import type { CaseSpec } from './scenario-types.ts';
import type { ActiveSpan } from './tracer.ts';

const LATENCY = hashKey('latency');
const FAULTS = hashKey('faults');
const TOKENS = hashKey('tokens');
const ACCURACY = hashKey('accuracy');
const RETRY = hashKey('retry');

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
  #others: Map<string, SeededRng> | null = null;

  constructor(private readonly seed: number) {}

  get latency(): SeededRng {
    return (this.#latency ??= new SeededRng(mixSeed(this.seed, LATENCY)));
  }
  get faults(): SeededRng {
    return (this.#faults ??= new SeededRng(mixSeed(this.seed, FAULTS)));
  }
  get tokens(): SeededRng {
    return (this.#tokens ??= new SeededRng(mixSeed(this.seed, TOKENS)));
  }
  get accuracy(): SeededRng {
    return (this.#accuracy ??= new SeededRng(mixSeed(this.seed, ACCURACY)));
  }
  get retry(): SeededRng {
    return (this.#retry ??= new SeededRng(mixSeed(this.seed, RETRY)));
  }

  /** Any other named stream (later capabilities add their own). */
  named(name: string): SeededRng {
    const others = (this.#others ??= new Map());
    let rng = others.get(name);
    if (rng === undefined) {
      rng = new SeededRng(mixSeed(this.seed, hashKey(name)));
      others.set(name, rng);
    }
    return rng;
  }
}

/**
 * One workflow in flight: its case, its root span, its running totals, and its random streams.
 * Streams are derived from (run seed, case, repeat, agent, stream name) — not from the pattern — so
 * two patterns run on the same case see the same draws for the same agent (common random numbers:
 * a fairer comparison), and no stream shifts when another consumer is added.
 */
export class WorkflowState {
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  costUsd = 0;
  agentCalls = 0;
  modelAttempts = 0;
  readonly #seed: number;
  readonly #streams = new Map<string, AgentStreams>();

  constructor(
    readonly run: RunContext,
    readonly caseSpec: CaseSpec,
    readonly repeat: number,
    readonly workflowId: number,
    readonly root: ActiveSpan,
  ) {
    this.#seed = mixSeed(run.seed, run.keys.of(caseSpec.id), repeat);
  }

  /** The streams of `agent` in this workflow. */
  streams(agent: string): AgentStreams {
    let streams = this.#streams.get(agent);
    if (streams === undefined) {
      streams = new AgentStreams(mixSeed(this.#seed, this.run.keys.of(agent)));
      this.#streams.set(agent, streams);
    }
    return streams;
  }
}
