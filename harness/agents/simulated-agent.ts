import {
  callAccuracy,
  carryFindings,
  detectFindings,
  effectiveScope,
  inScope,
  outputIsRight,
  reconcileFindings,
  upstreamIsRight,
  wrongLabels,
  wrongValue,
} from './accuracy.ts';
import { NO_USAGE, type Agent, type AgentCall, type AttemptResult, type Usage } from '../pipeline/call.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Rng } from '../kernel/distribution-types.ts';
import { compileSampler } from '../kernel/distributions.ts';
import { timedOut } from '../pipeline/interceptors/timeout.ts';
import { executeTool } from './tool-calls.ts';
import { splitBatchUsage } from '../pipeline/batching/batch-usage.ts';
import { driftTerms } from '../governance/glossary.ts';
import { TOOL_DENIED } from '../governance/rbac.ts';
import { carryInjection, countFact, TRUST_FACTS } from '../governance/trust.ts';
import type { SeededRng } from '../kernel/rng.ts';
import type { BatchPolicy, CompiledAgent, CompiledScenario, Expected, FaultWindow } from '../scenario/types.ts';
import type { AgentOutput, AgentTask } from '../../patterns/types.ts';

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
  /** Output-token cap of an attempt (`maxOutputTokens`); Infinity when none. */
  readonly #maxOutputTokens: number;
  /** Time from the hop to a provider error (`faults.errorAfterMs`, compiled; else the time to first token). */
  readonly #errorAfter: Sampler;
  /** Tool calls per attempt; null when the agent makes none. */
  readonly #toolCalls: Sampler | null;
  readonly #toolLatency: Sampler;
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
    this.#maxOutputTokens = agent.maxOutputTokens ?? Infinity;
    this.#errorAfter = compileSampler(agent.faults.errorAfterMs ?? agent.model.ttftMs);
    const noTools = agent.tools.length === 0 || (agent.toolCalls.kind === 'fixed' && agent.toolCalls.value === 0);
    this.#toolCalls = noTools ? null : compileSampler(agent.toolCalls);
    this.#toolLatency = compileSampler(agent.toolLatencyMs);
    this.#retryAfter = compileSampler(agent.faults.retryAfterMs);
    this.#hop = compileSampler(scenario.hopOverheadMs);
    const prefill = agent.model.prefillTokensPerSecond;
    this.#prefillMsPerToken = prefill > 0 ? 1000 / prefill : 0;
    this.#faultError = agent.faults.error;
    this.#faultTimeout = this.#faultError + agent.faults.timeout;
    this.#faultRateLimit = this.#faultTimeout + agent.faults.rateLimit;
  }

  /**
   * One attempt, decided up to its first wait without awaiting anything: an attempt with no tool
   * calls holds no async frame while it waits, only the promise of its wait (what the attempt
   * draws after the wait, it draws in the continuation, as before).
   */
  invoke(call: AgentCall): Promise<AttemptResult> {
    const agent = this.#agent;
    const batch = agent.batch;
    if (batch !== undefined && (call.attempt <= 1 || batch.retry === 'batch')) {
      const batcher = call.workflow.run.resources.batcher(agent);
      if (batcher !== null) return batcher.join(call, (items) => this.#sendBatch(items, batch));
    }
    // A speculative call draws from a fork of the agent's streams (patterns/speculation.ts).
    const streams = call.input.speculation?.streams ?? call.workflow.streams(agent.name);
    const latencyRng = streams.latency;
    const hopMs = this.#hop(latencyRng);
    const inputTokens = agent.promptTokens + call.input.tokens;

    if (inputTokens > agent.model.contextWindow) {
      return this.#wait(call, hopMs).then((elapsed) =>
        elapsed
          ? failure('context_length_exceeded', `${inputTokens} input tokens exceed ${agent.model.name}'s context window of ${agent.model.contextWindow}`, null)
          : this.#interrupted(call),
      );
    }

    const faults = agent.faults;
    const startMs = this.#clock.now();
    if (faults.outages.length > 0 && inWindow(faults.outages, startMs) !== null) {
      return this.#wait(call, hopMs).then((elapsed) => (elapsed ? failure('unavailable', `${agent.name} is unavailable (scheduled outage): 503`, null) : this.#interrupted(call)));
    }

    const faultRng = streams.faults;
    const fault = faultRng.next();
    if (fault < this.#faultRateLimit) {
      if (fault >= this.#faultTimeout) {
        return this.#wait(call, hopMs).then((elapsed) =>
          elapsed ? failure('rate_limit', `${agent.model.provider} answered 429`, this.#retryAfter(faultRng)) : this.#interrupted(call),
        );
      }
      // A hang lasts until the deadline.
      if (fault >= this.#faultError) return this.#wait(call, Infinity).then(() => this.#interrupted(call));
      return this.#wait(call, hopMs + this.#errorAfter(latencyRng)).then((elapsed) =>
        elapsed ? failure('error', `${agent.model.provider} answered 500`, null) : this.#interrupted(call),
      );
    }

    const tokenRng = streams.tokens;
    // An answer stops at the output cap (a request's max_tokens), which budgets count on.
    const outputTokens = Math.min(this.#maxOutputTokens, Math.max(1, Math.round(this.#outputTokens(tokenRng))));
    const cachedTokens = agent.cacheHitRate > 0 && tokenRng.next() < agent.cacheHitRate ? agent.promptTokens : 0;

    // Until the first token (the model deciding on its tool calls), then the tools, then the rest.
    let firstTokenMs = hopMs;
    let generationMs: number;
    if (this.#latency !== null) {
      generationMs = this.#latency(latencyRng);
    } else {
      firstTokenMs += this.#ttft(latencyRng) + (inputTokens - cachedTokens) * this.#prefillMsPerToken;
      generationMs = (outputTokens * 1000) / this.#tokensPerSecond(latencyRng);
    }

    const spike = faults.latencySpikes.length > 0 ? inWindow(faults.latencySpikes, startMs) : null;
    if (spike !== null) {
      firstTokenMs *= spike.factor;
      generationMs *= spike.factor;
    }
    // What the attempt has used should it be cut: the output streams from the first token on (after any tool calls).
    const full: Usage = { inputTokens, outputTokens, cachedTokens };
    const cut: AttemptCut = { requestAtMs: startMs + hopMs, generationStartMs: startMs + firstTokenMs, generationMs, full };
    if (faults.preemption > 0) {
      const rng = streams.named('preemption');
      if (rng.next() < faults.preemption) {
        return this.#wait(call, rng.next() * (firstTokenMs + generationMs)).then(() => {
          if (call.input.cancel?.cancelled === true || this.#clock.now() >= call.deadlineMs) return this.#interrupted(call, this.#used(cut));
          return failure('preempted', `${agent.name}'s worker was preempted mid-call (spot capacity reclaimed)`, null);
        });
      }
    }

    let output = this.#answer(call, streams.accuracy, inputTokens, outputTokens);
    if (faults.malformedOutput > 0 && streams.named('malformed').next() < faults.malformedOutput) {
      output = { agent: output.agent, tokens: output.tokens, malformed: true };
    }
    // Trust boundaries and terminology (harness/governance/trust.ts, harness/governance/glossary.ts): own streams each,
    // created only when drawn from (an unused stream would cost a generator and a checkpoint entry).
    output = carryInjection(call, output, streams);
    output = driftTerms(output, this.#scenario.terminology, streams);
    // The classed case fields it read, echoed into its answer (masked where it lacks the need: harness/governance/pii.ts).
    const echo = call.workflow.run.privacy?.echo(call.caseInput ?? call.workflow.caseSpec.input) ?? null;
    if (echo !== null) output = { ...output, echo };
    const injectedAction = call.injected ? agent.access.injectionAction : null;
    const ok: AttemptResult = { status: 'ok', output, usage: full };
    if (this.#toolCalls !== null || injectedAction !== null) return this.#withTools(call, streams.tools, injectedAction, firstTokenMs, cut, ok);
    return this.#wait(call, firstTokenMs + generationMs).then((elapsed) => (elapsed ? ok : this.#interrupted(call, this.#used(cut))));
  }

  /**
   * A batch of attempts sent as one model call (`batch:`, harness/pipeline/batching/): input = the
   * prompt once + every item's tokens; each item draws its output tokens from its own stream and the
   * batch's output is their sum; the first item's streams draw the one fault, cache hit and latency
   * (time to first token and prefill of the whole input, then the whole output at the model's
   * speed, or the agent's latency override); a fault fails every item. Each item's answer is drawn
   * from its own stream, right with the agent's accuracy less `accuracyLoss` × (n − 1). Batched
   * calls make no tool calls and draw no preemption or malformed output. Usage split by
   * `splitBatchUsage`. The batch waits without regard to one item's deadline but a hang, which
   * ends at the earliest deadline of its items.
   */
  #sendBatch(items: readonly AgentCall[], batch: BatchPolicy): Promise<AttemptResult[]> {
    const agent = this.#agent;
    const lead = items[0] as AgentCall;
    const streams = lead.workflow.streams(agent.name);
    const clock = this.#clock;
    const hopMs = this.#hop(streams.latency);
    const itemTokens = items.map((item) => item.input.tokens);
    const inputTokens = agent.promptTokens + itemTokens.reduce((sum, tokens) => sum + tokens, 0);
    const all = (ms: number, result: () => AttemptResult): Promise<AttemptResult[]> => clock.sleep(ms).then(() => items.map(result));
    if (inputTokens > agent.model.contextWindow) {
      return all(hopMs, () => failure('context_length_exceeded', `a batch of ${items.length}: ${inputTokens} input tokens exceed ${agent.model.name}'s context window of ${agent.model.contextWindow}`, null));
    }
    const startMs = clock.now();
    if (agent.faults.outages.length > 0 && inWindow(agent.faults.outages, startMs) !== null) {
      return all(hopMs, () => failure('unavailable', `${agent.name} is unavailable (scheduled outage): 503`, null));
    }
    const fault = streams.faults.next();
    if (fault < this.#faultRateLimit) {
      if (fault >= this.#faultTimeout) {
        const retryAfterMs = this.#retryAfter(streams.faults);
        return all(hopMs, () => failure('rate_limit', `${agent.model.provider} answered 429`, retryAfterMs));
      }
      if (fault >= this.#faultError) return all(Math.min(...items.map((item) => item.deadlineMs)) - startMs, () => timedOut(agent.timeoutMs));
      return all(hopMs + this.#errorAfter(streams.latency), () => failure('error', `${agent.model.provider} answered 500`, null));
    }
    const outputs = items.map((item) => Math.min(this.#maxOutputTokens, Math.max(1, Math.round(this.#outputTokens(item.workflow.streams(agent.name).tokens)))));
    const outputTokens = outputs.reduce((sum, tokens) => sum + tokens, 0);
    const cachedTokens = agent.cacheHitRate > 0 && streams.tokens.next() < agent.cacheHitRate ? agent.promptTokens : 0;
    // Summed as a call alone sums it (a batch of one takes exactly its time).
    let firstTokenMs = hopMs;
    let generationMs: number;
    if (this.#latency !== null) generationMs = this.#latency(streams.latency);
    else {
      firstTokenMs += this.#ttft(streams.latency) + (inputTokens - cachedTokens) * this.#prefillMsPerToken;
      generationMs = (outputTokens * 1000) / this.#tokensPerSecond(streams.latency);
    }
    const spike = agent.faults.latencySpikes.length > 0 ? inWindow(agent.faults.latencySpikes, startMs) : null;
    if (spike !== null) {
      firstTokenMs *= spike.factor;
      generationMs *= spike.factor;
    }
    const usages = splitBatchUsage(agent.promptTokens, cachedTokens, itemTokens, outputs);
    const loss = batch.accuracyLoss * (items.length - 1);
    const results = items.map((item, index): AttemptResult => {
      const itemStreams = item.workflow.streams(agent.name);
      let output = this.#answer(item, itemStreams.accuracy, inputTokens, outputs[index] as number, loss);
      output = driftTerms(carryInjection(item, output, itemStreams), this.#scenario.terminology, itemStreams);
      const echo = item.workflow.run.privacy?.echo(item.caseInput ?? item.workflow.caseSpec.input) ?? null;
      if (echo !== null) output = { ...output, echo };
      return { status: 'ok', output, usage: usages[index] as Usage };
    });
    return clock.sleep(firstTokenMs + generationMs).then(() => results);
  }

  /**
   * The rest of an attempt that calls tools: until the first token, the tool calls, then the
   * answer (`ok`). Promise plumbing: a frame only while the tools run, none while the model generates.
   */
  #withTools(call: AgentCall, rng: SeededRng, injectedAction: string | null, firstTokenMs: number, cut: AttemptCut, ok: AttemptResult): Promise<AttemptResult> {
    return this.#wait(call, firstTokenMs).then((elapsed) => {
      if (!elapsed) return this.#interrupted(call, this.#used(cut));
      return this.#callTools(call, rng, injectedAction, cut).then((stopped) => {
        if (stopped !== null) return stopped;
        cut.generationStartMs = this.#clock.now();
        return this.#wait(call, cut.generationMs).then((generated) => (generated ? ok : this.#interrupted(call, this.#used(cut))));
      });
    });
  }

  /** What the attempt `cut` describes has used by now (`usageAtCut`). */
  #used(cut: AttemptCut): Usage {
    return usageAtCut(this.#clock.now(), cut.requestAtMs, cut.generationStartMs, cut.generationMs, cut.full);
  }

  /**
   * Makes the attempt's tool calls, one after another, each to one of the agent's tools, then the
   * privileged `injectedAction` an injection that reached the agent makes it perform (null: none).
   * Null when they all ran (or RBAC skipped them); else how the attempt ends: cut short, or
   * `tool_denied` when RBAC denied one under `onDenied: fail`.
   */
  async #callTools(call: AgentCall, rng: SeededRng, injectedAction: string | null, cut: AttemptCut): Promise<AttemptResult | null> {
    const count = this.#toolCalls === null ? 0 : Math.max(0, Math.round(this.#toolCalls(rng)));
    const tools = call.input.tools === undefined ? this.#agent.tools : [...new Set([...this.#agent.tools, ...call.input.tools])];
    for (let index = 0; index <= count; index++) {
      const tool = index < count ? rng.pick(tools) : injectedAction;
      if (tool === null) break;
      const durationMs = this.#toolLatency(rng);
      const outcome = await executeTool(call, tool, () => this.#wait(call, durationMs), index < count ? {} : { [TRUST_FACTS.caused]: true });
      if (outcome === 'cut') return this.#interrupted(call, this.#used(cut));
      if (outcome === 'denied') return failure(TOOL_DENIED, `${this.name} may not call ${tool} (RBAC, onDenied: fail)`, null);
      if (outcome === 'completed' && index === count) countFact(call, TRUST_FACTS.privileged);
    }
    return null;
  }

  /**
   * Waits `ms` on the run's clock, or until the attempt's deadline or cancellation if sooner.
   * True when the full wait elapsed.
   */
  #wait(call: AgentCall, ms: number): Promise<boolean> {
    const clock = this.#clock;
    const left = call.deadlineMs - clock.now();
    const cancel = call.cancel ?? call.input.cancel;
    if (ms <= left) return clock.sleep(ms, cancel);
    return clock.sleep(left, cancel).then(NOT_ELAPSED);
  }

  /**
   * How an attempt whose wait was cut short ends: `cancelled` when its call was cancelled (by the
   * pattern, or by a budget stopping the workflow), billed `used` (what it had used by the cut);
   * else `timeout`, billed nothing.
   */
  #interrupted(call: AgentCall, used: Usage = NO_USAGE): AttemptResult {
    if (call.input.cancel?.cancelled === true) {
      const stop = call.workflow.budgetStop();
      const message = stop === null ? 'cancelled by the pattern (deadline, quorum or time bound)' : `cut: the ${stop} budget stopped the workflow`;
      return { status: 'error', errorType: 'cancelled', message, usage: used, retryAfterMs: null };
    }
    return timedOut(this.#agent.timeoutMs);
  }

  /**
   * The output of a successful attempt, acting out the call's task (`AgentInput.task`):
   * - `answer` (default): right with the degraded skill p when every upstream label is right, else
   *   with recovery × p; a wrong label is another known label (not one the task excludes); a wrong
   *   value is off by 10–50 %. Findings: an agent with a `scope`, or with nothing upstream, detects
   *   the expected findings in its scope (each with p, one false positive with 1 − p); upstream
   *   findings are carried forward, one of them dropped when the call is wrong.
   * - `handle`: a specialist; out of its domain it sends the request back (when allowed) with p,
   *   otherwise answers with recovery × p.
   * - `reconcile`: right with p when some upstream label is right (recovery × p otherwise); false
   *   positive findings are caught with p each.
   * - `review`: judges the subject right or wrong correctly with p (so it catches a wrong result
   *   with p, and rejects a right one with 1 − p).
   * - `plan`: adds each candidate follow-up the case needs (expected findings in its scope) with p,
   *   and one it does not need with (1 − p) / 2.
   * Confidence is drawn in [0.6, 1) for a right call and [0.3, 0.8) for a wrong one.
   */
  #answer(call: AgentCall, rng: SeededRng, inputTokens: number, outputTokens: number, batchLoss = 0): AgentOutput {
    const agent = this.#agent;
    const input = call.input;
    const expected = call.workflow.caseSpec.expected;
    const p = Math.max(0, callAccuracy(agent, inputTokens, this.#scenario.accuracy, input.tools) * call.accuracyFactor - batchLoss);
    const task = input.task ?? ANSWER;
    const name = agent.name;
    switch (task.kind) {
      case 'review': {
        const subjectRight = outputIsRight(task.subject, expected, effectiveScope(agent.scope, task.scope));
        const reviewRight = rng.next() < p;
        return { agent: name, verdict: subjectRight === reviewRight ? 'accept' : 'reject', confidence: confidence(rng, reviewRight), tokens: outputTokens };
      }
      case 'plan': {
        const plan: string[] = [];
        for (const candidate of task.candidates) {
          const needed = (expected.findings ?? []).some((finding) => inScope(finding, candidate.scope));
          if (rng.next() < (needed ? p : (1 - p) / 2)) plan.push(candidate.name);
        }
        return { agent: name, plan, tokens: outputTokens };
      }
      case 'handle': {
        const inDomain = task.domain === null || expected.label === undefined || task.domain.includes(expected.label);
        if (!inDomain && task.canSendBack && rng.next() < p) return { agent: name, sendBack: true, tokens: outputTokens };
        const right = rng.next() < (inDomain ? p : agent.recovery * p);
        return this.#result(expected, rng, right, p, input.upstream, [], outputTokens, 'carry');
      }
      case 'reconcile': {
        const anyRight = expected.label === undefined || input.upstream.some((output) => output.label === expected.label);
        const right = rng.next() < (anyRight ? p : agent.recovery * p);
        return this.#result(expected, rng, right, p, input.upstream, [], outputTokens, 'reconcile');
      }
      case 'answer': {
        const right = upstreamIsRight(input.upstream, expected) ? rng.next() < p : rng.next() < agent.recovery * p;
        return this.#result(expected, rng, right, p, input.upstream, task.exclude ?? [], outputTokens, 'carry', task.scope);
      }
    }
  }

  /** Builds an output that is `right` or not (draw order: confidence, label, findings, value). */
  #result(
    expected: Expected,
    rng: SeededRng,
    right: boolean,
    p: number,
    upstream: readonly AgentOutput[],
    exclude: readonly string[],
    tokens: number,
    findingsMode: 'carry' | 'reconcile',
    taskScope?: readonly string[],
  ): AgentOutput {
    const agent = this.#agent;
    const output: { -readonly [K in keyof AgentOutput]: AgentOutput[K] } = { agent: agent.name, confidence: confidence(rng, right), tokens };
    if (expected.label !== undefined) output.label = right ? expected.label : rng.pick(this.#wrongLabels(expected.label, exclude));
    if (expected.findings !== undefined) {
      const carried = upstream.some((item) => item.findings !== undefined);
      if (findingsMode === 'reconcile') output.findings = reconcileFindings(rng, p, upstream, expected.findings);
      else {
        const found = carried ? carryFindings(rng, right, upstream) : [];
        const scope = effectiveScope(agent.scope, taskScope);
        if (!carried || scope !== null) {
          for (const finding of detectFindings(rng, p, expected.findings, this.#scenario.findings, scope)) {
            if (!found.includes(finding)) found.push(finding);
          }
        }
        output.findings = found;
      }
    }
    if (expected.value !== undefined) output.value = right ? expected.value : wrongValue(rng, expected.value);
    return output;
  }

  #wrongLabels(right: string, exclude: readonly string[]): readonly string[] {
    let wrong = this.#wrongByLabel.get(right);
    if (wrong === undefined) {
      wrong = wrongLabels(this.#scenario.labels, right);
      this.#wrongByLabel.set(right, wrong);
    }
    if (exclude.length === 0) return wrong;
    // Every wrong label ruled out: the only answer left is the right one.
    const allowed = wrong.filter((label) => !exclude.includes(label));
    return allowed.length > 0 ? allowed : [right];
  }
}

const ANSWER: AgentTask = Object.freeze({ kind: 'answer' });

/** A wait cut at the deadline did not elapse, whatever its sleep says. */
const NOT_ELAPSED = (): boolean => false;

/** What an attempt will have used, to bill it should it be cut (`usageAtCut`); `generationStartMs` moves once its tool calls end. */
interface AttemptCut {
  readonly requestAtMs: number;
  generationStartMs: number;
  readonly generationMs: number;
  readonly full: Usage;
}

/** A self-reported confidence: [0.6, 1) for a right answer, [0.3, 0.8) for a wrong one (one draw). */
function confidence(rng: SeededRng, right: boolean): number {
  const draw = rng.next();
  return right ? 0.6 + 0.4 * draw : 0.3 + 0.5 * draw;
}

/** The window of `windows` holding `timeMs`, or null. */
function inWindow<W extends FaultWindow>(windows: readonly W[], timeMs: number): W | null {
  for (const window of windows) if (timeMs >= window.atMs && timeMs < window.atMs + window.forMs) return window;
  return null;
}

/**
 * What an attempt of usage `full` has used when cut at `nowMs` (pure): nothing until its request
 * reached the model (after `requestAtMs`), then its input and the output streamed so far — the
 * output tokens spread evenly over `generationMs` from `generationStartMs` (the agent's
 * throughput), rounded down.
 */
export function usageAtCut(nowMs: number, requestAtMs: number, generationStartMs: number, generationMs: number, full: Usage): Usage {
  if (nowMs <= requestAtMs) return NO_USAGE;
  const elapsedMs = Math.max(0, nowMs - generationStartMs);
  // Multiplied before dividing, and floored with a hair of slack, so 20 s of a 30 s answer of 9,000 tokens is exactly 6,000.
  const streamed = elapsedMs >= generationMs ? full.outputTokens : Math.floor((full.outputTokens * elapsedMs) / generationMs + 1e-9);
  return { inputTokens: full.inputTokens, outputTokens: Math.min(full.outputTokens, streamed), cachedTokens: full.cachedTokens };
}

function failure(errorType: string, message: string, retryAfterMs: number | null): AttemptResult {
  return { status: 'error', errorType, message, usage: NO_USAGE, retryAfterMs };
}
