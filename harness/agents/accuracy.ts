import { findingDomain } from '../scenario/findings.ts';
import type { AccuracyModel, CompiledAgent, Expected } from '../scenario/types.ts';
import type { AgentOutput } from '../../patterns/types.ts';

/**
 * Probability that one call of `agent` is right: its skill, degraded when the context window is
 * more than `contextThreshold` full (× (1 − contextPenalty)) and when it holds more than
 * `toolThreshold` tools (× toolFactor). `extraTools` are tools the call was given on top of the
 * agent's own (a single agent holding every tool); duplicates count once. Pure.
 */
export function callAccuracy(
  agent: CompiledAgent,
  inputTokens: number,
  model: AccuracyModel,
  extraTools: readonly string[] = [],
): number {
  let p = agent.skill;
  if (inputTokens / agent.model.contextWindow > model.contextThreshold) p *= 1 - model.contextPenalty;
  const tools = extraTools.length === 0 ? agent.tools.length : new Set([...agent.tools, ...extraTools]).size;
  if (tools > model.toolThreshold) p *= model.toolFactor;
  return p;
}

/**
 * Whether the outputs a call builds on are right, judged against the case's truth (the simulation
 * knows it; a real agent would not). An input with no label to compare is taken as right, unless
 * it is a merge that left conflicts unresolved.
 */
export function upstreamIsRight(upstream: readonly AgentOutput[], expected: Expected): boolean {
  if (expected.label === undefined) return true;
  for (const output of upstream) {
    if (output.label !== undefined && output.label !== expected.label) return false;
    // A merge that left its workers' disagreement unresolved hands on no answer: not right.
    if (output.label === undefined && output.conflicts !== undefined && output.conflicts > 0) return false;
  }
  return true;
}

/** The labels a wrong answer can take: every known label but the right one. Pure. */
export function wrongLabels(labels: readonly string[], right: string): readonly string[] {
  const wrong = labels.filter((label) => label !== right);
  return wrong.length > 0 ? wrong : [`not-${right}`];
}

/** Something that draws uniform numbers in [0, 1). */
interface Draws {
  next(): number;
  pick<T>(items: readonly T[]): T;
}

/**
 * The findings domains a call covers: the agent's own `scope` narrowed by the task's; null = every
 * domain (neither restricts). Pure.
 */
export function effectiveScope(agentScope: readonly string[], taskScope: readonly string[] | undefined): readonly string[] | null {
  if (agentScope.length === 0) return taskScope === undefined || taskScope.length === 0 ? null : taskScope;
  if (taskScope === undefined || taskScope.length === 0) return agentScope;
  return agentScope.filter((domain) => taskScope.includes(domain));
}

/** Whether `finding` lies in `scope` (null = every domain). Pure. */
export function inScope(finding: string, scope: readonly string[] | null): boolean {
  return scope === null || scope.includes(findingDomain(finding));
}

/**
 * Whether `output` is right against the truth, as a perfect reviewer would judge it: the label
 * matches, the findings within `scope` are exactly the expected ones there, the value is within
 * 1 %. Fields the case has no truth for are not judged. Pure.
 */
export function outputIsRight(output: AgentOutput, expected: Expected, scope: readonly string[] | null): boolean {
  if (expected.label !== undefined && output.label !== expected.label) return false;
  if (expected.findings !== undefined) {
    const truth = expected.findings.filter((finding) => inScope(finding, scope));
    const found = new Set((output.findings ?? []).filter((finding) => inScope(finding, scope)));
    if (found.size !== truth.length || !truth.every((finding) => found.has(finding))) return false;
  }
  if (expected.value !== undefined) {
    if (output.value === undefined || Math.abs(output.value - expected.value) > 0.01 * Math.abs(expected.value)) return false;
  }
  return true;
}

/**
 * Findings an agent detects on its own: each expected finding in scope with probability `p`, plus,
 * with probability 1 − p, one false positive drawn from the rest of the pool in scope. Draws: one
 * per expected finding in scope, one for the false positive, one more to pick it when it happens.
 */
export function detectFindings(
  rng: Draws,
  p: number,
  expected: readonly string[],
  pool: readonly string[],
  scope: readonly string[] | null,
): string[] {
  const found: string[] = [];
  for (const finding of expected) if (inScope(finding, scope) && rng.next() < p) found.push(finding);
  if (rng.next() >= p) {
    const spurious = pool.filter((finding) => inScope(finding, scope) && !expected.includes(finding));
    if (spurious.length > 0) found.push(rng.pick(spurious));
  }
  return found;
}

/**
 * Findings handed on by a call that builds on upstream findings (a synthesis): their union, in
 * first-seen order, minus one of them picked at random when the call is wrong (`right` false).
 */
export function carryFindings(rng: Draws, right: boolean, upstream: readonly AgentOutput[]): string[] {
  const union = unionFindings(upstream);
  if (right || union.length === 0) return union;
  const dropped = rng.pick(union);
  return union.filter((finding) => finding !== dropped);
}

/**
 * Findings after a reconciler resolved conflicting upstream reports: every expected finding
 * reported upstream is kept; each false positive is caught and removed with probability `p`.
 */
export function reconcileFindings(rng: Draws, p: number, upstream: readonly AgentOutput[], expected: readonly string[]): string[] {
  return unionFindings(upstream).filter((finding) => expected.includes(finding) || rng.next() >= p);
}

/** Union of the findings of `outputs`, first-seen order. Pure. */
export function unionFindings(outputs: readonly AgentOutput[]): string[] {
  const seen = new Set<string>();
  for (const output of outputs) for (const finding of output.findings ?? []) seen.add(finding);
  return [...seen];
}

/**
 * A wrong numeric answer: the truth off by 10–50 %, up or down (two draws). A right one is the
 * truth itself.
 */
export function wrongValue(rng: Draws, truth: number): number {
  const size = 0.1 + 0.4 * rng.next();
  const sign = rng.next() < 0.5 ? -1 : 1;
  return Math.round(truth * (1 + sign * size) * 100) / 100;
}
