import { z } from 'zod';
import { Cancellation } from '../harness/kernel/clock.ts';
import type { Distribution } from '../harness/kernel/distribution-types.ts';
import type { Expected } from '../harness/scenario/types.ts';
import type { AgentInput, AgentOutput, CallOutcome, SpeculativeCall, WorkflowContext } from './types.ts';

/**
 * Speculative chain steps (`patterns.sequential.steps[i] = { agent, speculate: { on, … } }`): the
 * step's call starts at the same time as the step right before it (`on`), on a prediction of that
 * step's output; when the real output arrives, a seeded draw says whether the prediction was right.
 *
 * - The prediction is the right answer (the case's expected label, findings, value) at the size
 *   `on`'s agent is expected to write (the mean of its `outputTokens`). It is right with
 *   probability `predictability` when the real output is that answer; a wrong or malformed real
 *   output is never predicted (always a miss).
 * - Hit: the speculative result is the step's; the step's latency overlapped `on`'s.
 * - Miss (or a speculative call that failed): `discard` lets the speculative call finish, billed in
 *   full; `cancel` cuts it when the real output arrives, billed for its input and the output it
 *   streamed until then (harness/agents/simulated-agent.ts, `usageAtCut`). Either way its tokens
 *   and cost are waste, and the step runs again on the real input.
 * - Correctness: the speculative call draws from a fork of its agent's streams, adopted on a hit
 *   and dropped on a miss, so the step's answer is the one it gives without speculation (on a hit
 *   it read what the real input holds; on a miss the rerun draws what the plain call would have).
 *
 * Facts per workflow, for the step's agent `a`: `speculation.a.outcome` (hit, miss, failed,
 * aborted when `on` failed), `speculation.a.saved_ms`, `speculation.a.wasted_tokens`,
 * `speculation.a.wasted_cost_usd`.
 */
export const speculateSchema = z
  .strictObject({
    /** The step this one speculates on: the agent of the step right before it. */
    on: z.string().min(1).describe('The step this one speculates on: the agent of the step right before it in the chain.'),
    /** Probability that the predicted output of `on` is its real output (when that is the right answer). */
    predictability: z.number().min(0).max(1).describe("Probability in [0, 1] that the prediction of the 'on' step's output is right."),
    /** What happens to the speculative call on a miss: `discard` (default, runs to its end) or `cancel` (cut at once). */
    onMiss: z
      .enum(['discard', 'cancel'])
      .default('discard')
      .describe('On a miss: discard (default; the speculative call runs to its end, billed in full) or cancel (cut when the real output arrives, billed for what it used).'),
  })
  .describe('Starts this step at the same time as the step right before it, on a predicted output of that step.');

export type Speculate = z.infer<typeof speculateSchema>;

/** A chain step written as an object: an agent, and how it speculates. */
export const speculativeStepSchema = z.strictObject({
  agent: z.string().min(1).describe('The agent of this step.'),
  speculate: speculateSchema,
});

export type SpeculativeStep = z.infer<typeof speculativeStepSchema>;

/** How a speculative step ended, as its `outcome` fact. */
export type SpeculationOutcome = 'hit' | 'miss' | 'failed' | 'aborted';

/** The prefix of a speculative step's facts, by the step's agent. */
export const speculationFact = (agent: string, fact: string): string => `patternbench.speculation.${agent}.${fact}`;

/** Expected value of an output-token distribution (the prediction's size), before rounding. Pure. */
export function expectedTokens(distribution: Distribution, cap: number | null): number {
  let mean: number;
  switch (distribution.kind) {
    case 'fixed':
      mean = distribution.value;
      break;
    case 'uniform':
      mean = (distribution.min + distribution.max) / 2;
      break;
    case 'normal':
    case 'exponential':
      mean = distribution.mean;
      break;
    case 'lognormal': {
      const sigma = Math.log(distribution.p95 / distribution.p50) / 1.6448536269514722;
      mean = distribution.p50 * Math.exp((sigma * sigma) / 2);
      break;
    }
    case 'empirical':
      mean = distribution.values.reduce((sum, value) => sum + value, 0) / distribution.values.length;
      break;
  }
  return Math.max(1, Math.round(Math.min(cap ?? Infinity, mean)));
}

/** The predicted output of `agent`: the right answer, `tokens` long. Pure. */
export function predictedOutput(agent: string, tokens: number, expected: Expected): AgentOutput {
  const output: { -readonly [K in keyof AgentOutput]: AgentOutput[K] } = { agent, tokens };
  if (expected.label !== undefined) output.label = expected.label;
  if (expected.findings !== undefined) output.findings = expected.findings;
  if (expected.value !== undefined) output.value = expected.value;
  return output;
}

/**
 * Whether `real` is the predicted right answer in everything a later step reads of it (its label,
 * findings in order, value; not malformed, injected or in conflict). Its size may differ. Pure.
 */
export function predictable(real: AgentOutput, expected: Expected): boolean {
  if (real.malformed === true || real.injected === true || (real.conflicts ?? 0) > 0 || real.degraded === true) return false;
  if (expected.label !== undefined && real.label !== expected.label) return false;
  if (expected.value !== undefined && real.value !== expected.value) return false;
  if (expected.findings !== undefined) {
    const found = real.findings ?? [];
    if (found.length !== expected.findings.length || found.some((finding, index) => finding !== expected.findings?.[index])) return false;
  }
  return true;
}

/** What the pair of calls (`on`, then the speculative step) gave. */
export interface PairOutcome {
  readonly on: CallOutcome;
  /** The step's outcome; null when `on` failed (the step never ran for real). */
  readonly step: CallOutcome | null;
}

/** The two inputs of a pair: `on`'s, and the step's as a function of the output it reads of `on`. */
export interface PairInputs {
  readonly on: AgentInput;
  stepInput(onOutput: AgentOutput): AgentInput;
}

/**
 * Runs `on` and the speculative `step` side by side (see the file comment), records the step's
 * facts, and returns both outcomes. `index` is the step's place in the chain (its draw's name).
 */
export async function runSpeculativePair(
  workflow: WorkflowContext & { streams(agent: string): ReturnType<NonNullable<WorkflowContext['streams']>> },
  onAgent: string,
  step: SpeculativeStep,
  index: number,
  inputs: PairInputs,
): Promise<PairOutcome> {
  const agent = step.agent;
  const scenario = workflow.scenario;
  const expected = workflow.case.expected;
  const onCompiled = scenario.agents.get(onAgent);
  const tokens = onCompiled === undefined ? 1 : expectedTokens(onCompiled.outputTokens, onCompiled.maxOutputTokens ?? null);
  const prediction = predictedOutput(onAgent, tokens, expected);
  const real = workflow.streams(agent);
  const speculation: SpeculativeCall = { streams: real.fork(), tokens: 0, costUsd: 0 };
  const cut = new Cancellation();
  const startMs = workflow.now();
  const onCall = workflow.call(onAgent, inputs.on);
  let specEndMs = Infinity;
  const specCall = workflow.call(agent, { ...inputs.stepInput(prediction), cancel: cut, speculation }).then((outcome) => {
    specEndMs = workflow.now();
    return outcome;
  });
  const on = await onCall;
  const arrivedMs = workflow.now();
  if (on.status === 'failed') {
    cut.cancel();
    await specCall;
    record(workflow, agent, 'aborted', 0, speculation);
    return { on, step: null };
  }
  // One draw per speculative step and workflow, from the workflow's own stream: independent of scheduling.
  const right = workflow.streams('sequential.speculation').named(String(index)).next() < step.speculate.predictability;
  if (right && predictable(on.output, expected)) {
    const outcome = await specCall;
    if (outcome.status === 'ok') {
      real.catchUp(speculation.streams);
      record(workflow, agent, 'hit', Math.min(arrivedMs, specEndMs) - startMs, null);
      return { on, step: outcome };
    }
    const rerun = await workflow.call(agent, inputs.stepInput(on.output));
    record(workflow, agent, 'failed', 0, speculation);
    return { on, step: rerun };
  }
  if (step.speculate.onMiss === 'cancel') cut.cancel();
  const rerunCall = workflow.call(agent, inputs.stepInput(on.output));
  const discarded = await specCall;
  const rerun = await rerunCall;
  record(workflow, agent, discarded.status === 'ok' || step.speculate.onMiss === 'cancel' ? 'miss' : 'failed', 0, speculation);
  return { on, step: rerun };
}

/** Records a speculative step's facts; `wasted` is the speculative call when its work was wasted. */
function record(workflow: WorkflowContext, agent: string, outcome: SpeculationOutcome, savedMs: number, wasted: SpeculativeCall | null): void {
  workflow.record(speculationFact(agent, 'outcome'), outcome);
  workflow.record(speculationFact(agent, 'saved_ms'), savedMs);
  workflow.record(speculationFact(agent, 'wasted_tokens'), wasted === null ? 0 : wasted.tokens);
  workflow.record(speculationFact(agent, 'wasted_cost_usd'), wasted === null ? 0 : wasted.costUsd);
}
