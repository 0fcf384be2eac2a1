import { findingDomain } from '../scenario/findings.ts';
import { compileSampler } from '../kernel/distributions.ts';
import { deriveRng, type SeededRng } from '../kernel/rng.ts';
import type { CaseSource, CaseSpec, CompiledScenario, Expected } from '../scenario/types.ts';
import { plantInjections } from '../governance/trust.ts';

type Generator = Extract<CaseSource, { kind: 'generate' }>;

/**
 * The cases a run is fed: the inline list, or `count` generated ones (drawn from the scenario
 * seed's `cases` stream, so every pattern and seed of a scenario sees the same cases). A generated
 * case gets, in this order of draws: a label following the generator's weights (when it has
 * labels), its input size, its expected findings (each pool finding independently, at its domain's
 * rate) and its expected value. With `distinct: n`, `n` such inputs are drawn first
 * (`input.text = input-<k>`) and each case is one of them, uniformly: recurring requests with the
 * same truth, which a routing cache can serve. `limit` (the `--cases` flag) caps an inline list and
 * replaces a generator's count.
 */
export function materialiseCases(scenario: CompiledScenario, limit: number | null): readonly CaseSpec[] {
  const source = scenario.cases;
  if (source.kind === 'inline') return limit === null ? source.items : source.items.slice(0, limit);
  const count = limit ?? source.count;
  const rng = deriveRng(scenario.seed, 'cases', scenario.name);
  const draw = caseDrawer(source, rng);
  const width = String(count).length;
  const id = (index: number): string => `case-${String(index + 1).padStart(width, '0')}`;
  const cases: CaseSpec[] = [];
  if (source.distinct === null) {
    for (let index = 0; index < count; index++) cases.push({ id: id(index), input: {}, ...draw() });
    return plantInjections(scenario, cases);
  }
  const textWidth = String(source.distinct).length;
  const inputs = Array.from({ length: source.distinct }, (_, index) => ({
    text: `input-${String(index + 1).padStart(textWidth, '0')}`,
    ...draw(),
  }));
  for (let index = 0; index < count; index++) {
    const { text, inputTokens, expected } = rng.pick(inputs);
    cases.push({ id: id(index), inputTokens, input: { text }, expected });
  }
  return plantInjections(scenario, cases);
}

/** Draws one generated case's size and truth from `rng`. */
function caseDrawer(source: Generator, rng: SeededRng): () => { inputTokens: number; expected: Expected } {
  const labels = Object.keys(source.labels).sort();
  const weights = labels.map((label) => source.labels[label] as number);
  const inputTokens = compileSampler(source.inputTokens);
  const value = source.value === null ? null : compileSampler(source.value);
  const findings = source.findings;
  const rates = findings?.pool.map((finding) => findings.domainRates[findingDomain(finding)] ?? findings.rate) ?? [];
  return () => {
    const label = labels.length > 0 ? (labels[rng.weighted(weights)] as string) : undefined;
    const tokens = Math.max(0, Math.round(inputTokens(rng)));
    const expected: { label?: string; findings?: string[]; value?: number } = {};
    if (label !== undefined) expected.label = label;
    if (findings !== null) expected.findings = findings.pool.filter((_, index) => rng.next() < (rates[index] as number));
    if (value !== null) expected.value = Math.round(value(rng) * 100) / 100;
    return { inputTokens: tokens, expected };
  };
}
