import type { AccuracyModel, CompiledAgent, Expected } from './scenario-types.ts';
import type { AgentOutput } from '../patterns/types.ts';

/**
 * Probability that one call of `agent` is right: its skill, degraded when the context window is
 * more than `contextThreshold` full (× (1 − contextPenalty)) and when it holds more than
 * `toolThreshold` tools (× toolFactor). Pure.
 */
export function callAccuracy(agent: CompiledAgent, inputTokens: number, model: AccuracyModel): number {
  let p = agent.skill;
  if (inputTokens / agent.model.contextWindow > model.contextThreshold) p *= 1 - model.contextPenalty;
  if (agent.tools.length > model.toolThreshold) p *= model.toolFactor;
  return p;
}

/**
 * Whether the outputs a call builds on are right, judged against the case's truth (the simulation
 * knows it; a real agent would not). An input with no label to compare is taken as right.
 */
export function upstreamIsRight(upstream: readonly AgentOutput[], expected: Expected): boolean {
  if (expected.label === undefined) return true;
  for (const output of upstream) {
    if (output.label !== undefined && output.label !== expected.label) return false;
  }
  return true;
}

/** The labels a wrong answer can take: every known label but the right one. Pure. */
export function wrongLabels(labels: readonly string[], right: string): readonly string[] {
  const wrong = labels.filter((label) => label !== right);
  return wrong.length > 0 ? wrong : [`not-${right}`];
}
