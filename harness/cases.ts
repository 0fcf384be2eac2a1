import { compileSampler } from './distributions.ts';
import { deriveRng } from './rng.ts';
import type { CaseSpec, CompiledScenario } from './scenario-types.ts';

/**
 * The cases a run is fed: the inline list, or `count` generated ones whose labels follow the
 * generator's weights (drawn from the scenario seed's `cases` stream, so every pattern and seed of
 * a scenario sees the same cases). `limit` (the `--cases` flag) caps an inline list and replaces a
 * generator's count.
 */
export function materialiseCases(scenario: CompiledScenario, limit: number | null): readonly CaseSpec[] {
  const source = scenario.cases;
  if (source.kind === 'inline') return limit === null ? source.items : source.items.slice(0, limit);
  const count = limit ?? source.count;
  const labels = Object.keys(source.labels).sort();
  const weights = labels.map((label) => source.labels[label] as number);
  const rng = deriveRng(scenario.seed, 'cases', scenario.name);
  const inputTokens = compileSampler(source.inputTokens);
  const width = String(count).length;
  const cases: CaseSpec[] = [];
  for (let index = 0; index < count; index++) {
    const label = labels[rng.weighted(weights)] as string;
    cases.push({
      id: `case-${String(index + 1).padStart(width, '0')}`,
      inputTokens: Math.max(0, Math.round(inputTokens(rng))),
      input: {},
      expected: { label },
    });
  }
  return cases;
}
