import { callAccuracy, upstreamIsRight, wrongLabels } from './accuracy.ts';
import { NO_USAGE, type Agent, type AgentCall, type AttemptResult } from './call.ts';
import type { Clock } from './clock.ts';
import type { Rng } from './distribution-types.ts';
import { compileSampler } from './distributions.ts';
import { timedOut } from './interceptors/timeout.ts';
import type { SeededRng } from './rng.ts';
import type { CompiledAgent, CompiledScenario } from './scenario-types.ts';
import type { AgentOutput } from '../patterns/types.ts';

type Sampler = (rng: Rng) => number;

/**
 * An agent driven by its settings and model profile (DESIGN.md, "The simulation model"):
 * input tokens = prompt + what the pattern passes in; output tokens drawn from the agent's
 * distribution; latency = time to first token (+ prefill) + output ÷ tokens/s + per-hop overhead,
 * or the agent's latency override; per-attempt error, timeout and 429 faults; the answer is right
 * with the agent's degraded skill, and an error handed in stays wrong unless the agent recovers it.
 * Each concern draws from its own stream of the workflow (faults, tokens, latency, accuracy). It
 * honours the attempt's deadline itself, so timeouts cost no extra timer.
 */
export class SimulatedAgent implements Agent {
  readonly name: string;
  readonly #agent: CompiledAgent;
  readonly #scenario: CompiledScenario;
  readonly #clock: Clock;
  readonly #outputTokens: Sampler;
  readonly #ttft: Sampler;
  readonly #tokensPerSecond: Sampler;
  readonly #latency: Sampler | null;
  readonly #retryAfter: Sampler;
  readonly #hop: Sampler;
  readonly #prefillMsPerToken: number;
  readonly #faultError: number;
  readonly #faultTimeout: number;
  readonly #faultRateLimit: number;
  readonly #wrongByLabel = new Map<string, readonly string[]>();
  /** Simulated agents end their own attempts at the call's deadline. */
  readonly honoursDeadline = true;

  constructor(agent: CompiledAgent, scenario: CompiledScenario, clock: Clock) {
    this.name = agent.name;
    this.#agent = agent;
    this.#scenario = scenario;
    this.#clock = clock;
    this.#outputTokens = compileSampler(agent.outputTokens);
    this.#ttft = compileSampler(agent.model.ttftMs);
    this.#tokensPerSecond = compileSampler(agent.model.outputTokensPerSecond);
    this.#latency = agent.latency === null ? null : compileSampler(agent.latency);
    this.#retryAfter = compileSampler(agent.faults.retryAfterMs);
    this.#hop = compileSampler(scenario.hopOverheadMs);
    const prefill = agent.model.prefillTokensPerSecond;
    this.#prefillMsPerToken = prefill > 0 ? 1000 / prefill : 0;
    this.#faultError = agent.faults.error;
    this.#faultTimeout = this.#faultError + agent.faults.timeout;
    this.#faultRateLimit = this.#faultTimeout + agent.faults.rateLimit;
  }

  async invoke(call: AgentCall): Promise<AttemptResult> {
    const agent = this.#agent;
    const streams = call.workflow.streams(agent.name);
    const latencyRng = streams.latency;
    const hopMs = this.#hop(latencyRng);
    const inputTokens = agent.promptTokens + call.input.tokens;

    if (inputTokens > agent.model.contextWindow) {
      if (!(await this.#wait(call, hopMs))) return timedOut(agent.timeoutMs);
      return failure(
        'context_length_exceeded',
        `${inputTokens} input tokens exceed ${agent.model.name}'s context window of ${agent.model.contextWindow}`,
        null,
      );
    }

    const faultRng = streams.faults;
    const fault = faultRng.next();
    if (fault < this.#faultRateLimit) {
      if (fault >= this.#faultTimeout) {
        if (!(await this.#wait(call, hopMs))) return timedOut(agent.timeoutMs);
        return failure('rate_limit', `${agent.model.provider} answered 429`, this.#retryAfter(faultRng));
      }
      if (fault >= this.#faultError) {
        await this.#wait(call, Infinity); // hangs until the deadline
        return timedOut(agent.timeoutMs);
      }
      if (!(await this.#wait(call, hopMs + this.#ttft(latencyRng)))) return timedOut(agent.timeoutMs);
      return failure('error', `${agent.model.provider} answered 500`, null);
    }

    const tokenRng = streams.tokens;
    const outputTokens = Math.max(1, Math.round(this.#outputTokens(tokenRng)));
    const cachedTokens = agent.cacheHitRate > 0 && tokenRng.next() < agent.cacheHitRate ? agent.promptTokens : 0;

    const latencyMs =
      this.#latency !== null
        ? this.#latency(latencyRng)
        : this.#ttft(latencyRng) +
          (inputTokens - cachedTokens) * this.#prefillMsPerToken +
          (outputTokens * 1000) / this.#tokensPerSecond(latencyRng);

    const output = this.#answer(call, streams.accuracy, inputTokens, outputTokens);
    if (!(await this.#wait(call, hopMs + latencyMs))) return timedOut(agent.timeoutMs);
    return { status: 'ok', output, usage: { inputTokens, outputTokens, cachedTokens } };
  }

  /**
   * Waits `ms` on the run's clock, or until the attempt's deadline or cancellation if sooner.
   * True when the full wait elapsed.
   */
  async #wait(call: AgentCall, ms: number): Promise<boolean> {
    const clock = this.#clock;
    const left = call.deadlineMs - clock.now();
    const cancel = call.cancel ?? undefined;
    if (ms <= left) return clock.sleep(ms, cancel);
    await clock.sleep(left, cancel);
    return false;
  }

  #answer(call: AgentCall, rng: SeededRng, inputTokens: number, outputTokens: number): AgentOutput {
    const agent = this.#agent;
    const expected = call.workflow.caseSpec.expected;
    const p = callAccuracy(agent, inputTokens, this.#scenario.accuracy);
    const right = upstreamIsRight(call.input.upstream, expected) ? rng.next() < p : rng.next() < agent.recovery * p;
    const confidenceDraw = rng.next();
    const confidence = right ? 0.6 + 0.4 * confidenceDraw : 0.3 + 0.5 * confidenceDraw;
    if (expected.label === undefined) return { agent: agent.name, confidence, tokens: outputTokens };
    const label = right ? expected.label : rng.pick(this.#wrongLabels(expected.label));
    return { agent: agent.name, label, confidence, tokens: outputTokens };
  }

  #wrongLabels(right: string): readonly string[] {
    let wrong = this.#wrongByLabel.get(right);
    if (wrong === undefined) {
      wrong = wrongLabels(this.#scenario.labels, right);
      this.#wrongByLabel.set(right, wrong);
    }
    return wrong;
  }
}

function failure(errorType: string, message: string, retryAfterMs: number | null): AttemptResult {
  return { status: 'error', errorType, message, usage: NO_USAGE, retryAfterMs };
}
