import { AgentCall } from './call.ts';
import type { Cancellation } from './clock.ts';
import { HarnessError } from './errors.ts';
import type { Attributes, AttributeValue } from './records.ts';
import type { RunContext } from './run-context.ts';
import { hashKey, mixSeed, SeededRng } from './rng.ts';
import type { CaseSpec, CompiledScenario } from './scenario-types.ts';
import type { ActiveSpan } from './tracer.ts';
import type { AgentInput, CallOutcome, WorkflowContext } from '../patterns/types.ts';

/** Pattern facts are root-span attributes `patternbench.<pattern>.<fact>`; rows keep `<pattern>.<fact>`. */
const FACT_PREFIX = 'patternbench.';

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
  get tools(): SeededRng {
    return (this.#tools ??= new SeededRng(mixSeed(this.seed, TOOLS)));
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
 * One workflow in flight: its case, its root span, its running totals, its random streams and the
 * facts its pattern recorded. It is also the `WorkflowContext` the executor sees (one object per
 * workflow, no closures).
 * Streams are derived from (run seed, case, repeat, agent, stream name) — not from the pattern — so
 * two patterns run on the same case see the same draws for the same agent (common random numbers:
 * a fairer comparison), and no stream shifts when another consumer is added.
 */
export class WorkflowState implements WorkflowContext {
  /** Facts the pattern recorded (`record`), keyed `<pattern>.<fact>`; null when none. */
  facts: Attributes | null = null;
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

  get scenario(): CompiledScenario {
    return this.run.scenario;
  }

  get case(): CaseSpec {
    return this.caseSpec;
  }

  now(): number {
    return this.run.clock.now();
  }

  sleep(ms: number, cancel?: Cancellation): Promise<boolean> {
    return this.run.clock.sleep(ms, cancel);
  }

  usage(): { readonly tokens: number; readonly costUsd: number } {
    return { tokens: this.inputTokens + this.outputTokens, costUsd: this.costUsd };
  }

  record(key: string, value: AttributeValue): void {
    this.root.attributes[key] = value;
    (this.facts ??= {})[key.startsWith(FACT_PREFIX) ? key.slice(FACT_PREFIX.length) : key] = value;
  }

  /** Calls `agentName` through the run's call pipeline; agent failures come back as values. */
  async call(agentName: string, input: AgentInput): Promise<CallOutcome> {
    const agent = this.run.scenario.agents.get(agentName);
    if (agent === undefined) {
      throw new HarnessError('AGENT_UNKNOWN', `pattern ${this.run.pattern} called agent '${agentName}', which the scenario does not define`);
    }
    const result = await this.run.pipeline(new AgentCall(agent, input, this));
    if (result.status === 'ok') return { status: 'ok', output: result.output };
    return { status: 'failed', errorType: result.errorType, message: result.message };
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
