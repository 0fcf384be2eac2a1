/**
 * The one-at-a-time sweep of `patternbench advise`: the assumptions people get wrong, each changed
 * on its own from the scenario as written — each agent's skill 10 points lower, every latency
 * halved and doubled, each agent's error rate tripled, the load doubled, every price halved and
 * doubled. Each assumption is an axis whose base value is the scenario's own; its point changes
 * that axis alone, so the line along it runs from the scenario as written to the changed value, and
 * a crossing on it says at what value the assumption flips the choice.
 */
import { parseDocument } from 'yaml';
import type { Distribution } from '../../kernel/distribution-types.ts';
import { parseRate } from '../../scenario/schema/load.ts';
import type { CompiledAgent, CompiledScenario, ModelProfile } from '../../scenario/types.ts';
import { patternDefinitions } from '../../../patterns/index.ts';
import type { PathSegment } from '../../scenario/positions.ts';
import type { SweepAxis, SweepDesign, SweepPoint } from './sweep-plan.ts';
import type { PointAssignment, SweepSource, YamlValue } from './sweep-point.ts';
import { formatNumber, roundSignificant, type SweepValue } from './sweep-values.ts';

/** Skill points taken off each agent. */
export const SKILL_DROP = 0.1;
/** Factors latencies and prices are scaled by. */
export const SCALE_FACTORS = [0.5, 2] as const;
/** Factor error rates are multiplied by. */
export const ERROR_FACTOR = 3;
/** Factor the load is multiplied by. */
export const LOAD_FACTOR = 2;

/** An assumption: its axis, and the fields each of its changed values sets. */
interface Assumption {
  readonly axis: SweepAxis;
  /** The value as written, on the axis. */
  readonly base: SweepValue;
  /** Each changed value with what it sets. */
  readonly changes: readonly { readonly value: SweepValue; readonly assignments: readonly PointAssignment[] }[];
}

const round = (value: number): number => roundSignificant(value, 6);
const factorText = (factor: number): string => `×${formatNumber(factor)}`;

/** A distribution as YAML (the compiled form: numbers in ms or counts), every value × `factor`. */
export function scaledDistribution(distribution: Distribution, factor: number): YamlValue {
  switch (distribution.kind) {
    case 'fixed':
      return round(distribution.value * factor);
    case 'uniform':
      return { dist: 'uniform', min: round(distribution.min * factor), max: round(distribution.max * factor) };
    case 'normal':
      return { dist: 'normal', mean: round(distribution.mean * factor), sd: round(distribution.sd * factor), min: round(distribution.min * factor) };
    case 'lognormal':
      return { dist: 'lognormal', p50: round(distribution.p50 * factor), p95: round(distribution.p95 * factor) };
    case 'exponential':
      return { dist: 'exponential', mean: round(distribution.mean * factor) };
    case 'empirical':
      return { dist: 'empirical', values: distribution.values.map((value) => round(value * factor)) };
  }
}

/** The agents some pattern of the scenario or its variants calls (with fallbacks and compensations), in definition order. */
export function agentsInUse(scenario: CompiledScenario): CompiledAgent[] {
  const used = new Set<string>();
  for (const each of [scenario, ...scenario.variants.values()]) {
    for (const [pattern, config] of each.patterns) {
      for (const reference of patternDefinitions.get(pattern)?.references(config) ?? []) used.add(reference.agent);
    }
  }
  for (const agent of scenario.agents.values()) {
    if (!used.has(agent.name)) continue;
    if (agent.fallback?.kind === 'agent') used.add(agent.fallback.agent);
    if (agent.compensation !== null) used.add(agent.compensation.agent);
  }
  return [...scenario.agents.values()].filter((agent) => used.has(agent.name));
}

/** The model profiles of the agents in use, in the scenario and its variants, by name. */
function modelsInUse(scenario: CompiledScenario, agents: readonly CompiledAgent[]): ModelProfile[] {
  const names = new Set(agents.map((agent) => agent.name));
  const models = new Map<string, ModelProfile>();
  for (const each of [scenario, ...scenario.variants.values()]) {
    for (const agent of each.agents.values()) if (names.has(agent.name)) models.set(agent.model.name, agent.model);
  }
  return [...models.values()];
}

function skillAssumptions(agents: readonly CompiledAgent[]): Assumption[] {
  return agents
    .filter((agent) => agent.skill > 0)
    .map((agent) => {
      const segments = ['agents', agent.name, 'skill'];
      const lower = round(Math.max(0, agent.skill - SKILL_DROP));
      return {
        axis: { path: `agents.${agent.name}.skill`, scale: 'linear', values: [] },
        base: { value: agent.skill, text: formatNumber(agent.skill) },
        changes: [{ value: { value: lower, text: formatNumber(lower) }, assignments: [{ segments, value: lower }] }],
      };
    });
}

function latencyAssignments(scenario: CompiledScenario, agents: readonly CompiledAgent[], models: readonly ModelProfile[], factor: number): PointAssignment[] {
  const assignments: PointAssignment[] = [];
  for (const model of models) {
    assignments.push({ segments: ['models', model.name, 'ttft'], value: scaledDistribution(model.ttftMs, factor) });
    assignments.push({ segments: ['models', model.name, 'outputTokensPerSecond'], value: scaledDistribution(model.outputTokensPerSecond, 1 / factor) });
    if (model.prefillTokensPerSecond > 0) assignments.push({ segments: ['models', model.name, 'prefillTokensPerSecond'], value: round(model.prefillTokensPerSecond / factor) });
  }
  for (const agent of agents) {
    if (agent.latency !== null) assignments.push({ segments: ['agents', agent.name, 'latency'], value: scaledDistribution(agent.latency, factor) });
    if (agent.tools.length > 0) assignments.push({ segments: ['agents', agent.name, 'toolLatency'], value: scaledDistribution(agent.toolLatencyMs, factor) });
  }
  assignments.push({ segments: ['network', 'hopOverhead'], value: scaledDistribution(scenario.hopOverheadMs, factor) });
  return assignments;
}

function errorAssumptions(agents: readonly CompiledAgent[]): Assumption[] {
  return agents
    .filter((agent) => agent.faults.error > 0 && agent.faults.error < 1)
    .map((agent) => {
      const higher = round(Math.min(1, agent.faults.error * ERROR_FACTOR));
      return {
        axis: { path: `agents.${agent.name}.faults.error`, scale: 'linear', values: [] },
        base: { value: agent.faults.error, text: formatNumber(agent.faults.error) },
        changes: [{ value: { value: higher, text: formatNumber(higher) }, assignments: [{ segments: ['agents', agent.name, 'faults', 'error'], value: higher }] }],
      };
    });
}

/** The fields that double the scenario's own load: its arrival rates (open), else its concurrency (closed). */
function loadAssignments(source: SweepSource, scenario: CompiledScenario, factor: number): PointAssignment[] {
  const load = (parseDocument(source.text).toJS() as { load?: Record<string, unknown> } | null)?.load;
  const rateOf = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' ? parseRate(value) : null);
  const assignments: PointAssignment[] = [];
  const scaled = (segments: PathSegment[], value: unknown): void => {
    const rate = rateOf(value);
    if (rate !== null) assignments.push({ segments, value: round(rate * factor) });
  };
  if (scenario.load.kind === 'open' && load !== undefined) {
    scaled(['load', 'rate'], load['rate']);
    const phases = Array.isArray(load['phases']) ? (load['phases'] as Record<string, unknown>[]) : [];
    phases.forEach((phase, index) => {
      for (const key of ['rate', 'from', 'to']) scaled(['load', 'phases', index, key], phase[key]);
    });
    return assignments;
  }
  if (scenario.load.kind === 'closed') assignments.push({ segments: ['load', 'concurrency'], value: scenario.load.concurrency * factor });
  return assignments;
}

function priceAssignments(models: readonly ModelProfile[], factor: number): PointAssignment[] {
  return models.flatMap((model) => [
    { segments: ['models', model.name, 'pricing', 'inputPerMTok'], value: round(model.pricing.inputPerMTok * factor) },
    { segments: ['models', model.name, 'pricing', 'outputPerMTok'], value: round(model.pricing.outputPerMTok * factor) },
    { segments: ['models', model.name, 'pricing', 'cachedInputPerMTok'], value: round(model.pricing.cachedInputPerMTok * factor) },
  ]);
}

/** An assumption scaled by each of `factors` (`latency ×`, `prices ×`), on a log axis through ×1. */
function scaledAssumption(path: string, factors: readonly number[], assignments: (factor: number) => PointAssignment[]): Assumption {
  const scale = factors.every((factor) => factor > 0) ? 'log' : 'linear';
  return {
    axis: { path, scale, values: [] },
    base: { value: 1, text: factorText(1) },
    changes: factors.map((factor) => ({ value: { value: factor, text: factorText(factor) }, assignments: assignments(factor) })),
  };
}

/**
 * The design of `advise` for `scenario` (read from `source`): point 0 is the scenario as written
 * (every axis at its base value), then one point per changed value of each assumption.
 */
export function adviseDesign(source: SweepSource, scenario: CompiledScenario): SweepDesign {
  const agents = agentsInUse(scenario);
  const models = modelsInUse(scenario, agents);
  const assumptions: Assumption[] = [
    ...skillAssumptions(agents),
    scaledAssumption('latency ×', SCALE_FACTORS, (factor) => latencyAssignments(scenario, agents, models, factor)),
    ...errorAssumptions(agents),
  ];
  const load = loadAssignments(source, scenario, LOAD_FACTOR);
  if (load.length > 0) assumptions.push(scaledAssumption('load ×', [LOAD_FACTOR], () => load));
  if (models.some((model) => model.pricing.inputPerMTok > 0 || model.pricing.outputPerMTok > 0)) {
    assumptions.push(scaledAssumption('prices ×', SCALE_FACTORS, (factor) => priceAssignments(models, factor)));
  }
  const axes: SweepAxis[] = assumptions.map((assumption) => ({
    ...assumption.axis,
    values: [assumption.base, ...assumption.changes.map((change) => change.value)].sort((a, b) => a.value - b.value),
  }));
  const base = assumptions.map((assumption) => assumption.base);
  const points: SweepPoint[] = [{ index: 0, coordinates: base, assignments: [] }];
  assumptions.forEach((assumption, axis) => {
    for (const change of assumption.changes) {
      points.push({ index: points.length, coordinates: base.map((value, index) => (index === axis ? change.value : value)), assignments: change.assignments });
    }
  });
  return { axes, points };
}
