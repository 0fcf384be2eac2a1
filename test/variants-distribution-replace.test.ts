import { describe, expect, it } from 'vitest';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { mergeOverride } from '../harness/scenario/variants.ts';

const SCENARIO = (variant: string): string => `
name: variant-distributions
agents:
  worker: { role: Works, model: mid-tier, outputTokens: { dist: uniform, min: 100, max: 300 }, latency: { dist: uniform, min: 1s, max: 2s } }
cases:
  generate: { count: 10, labels: { a: 1, b: 1 } }
patterns:
  single-agent: { agent: worker }
network:
  hopOverhead: { dist: normal, mean: 20ms, sd: 5ms, min: 10ms }
variants:
  other:
${variant}
`;

describe('a distribution in a variant', () => {
  it('replaces the base distribution whole when it names its dist: uniform {min, max} becomes exactly lognormal {p50, p95}', () => {
    const scenario = compileScenarioText(
      SCENARIO(
        [
          '    agents:',
          '      worker: { outputTokens: { dist: lognormal, p50: 400, p95: 900 }, latency: { dist: exponential, mean: 2s } }',
          '    network: { hopOverhead: { dist: normal, mean: 30ms, sd: 5ms } }',
        ].join('\n'),
      ),
      'v.yaml',
    );
    const variant = scenario.variants.get('other')!;
    expect(variant.agents.get('worker')?.outputTokens).toEqual({ kind: 'lognormal', p50: 400, p95: 900 });
    expect(variant.agents.get('worker')?.latency).toEqual({ kind: 'exponential', mean: 2000 });
    // Same kind, whole replacement too: the base's min (10ms) is not carried over, the default (0) applies.
    expect(variant.hopOverheadMs).toEqual({ kind: 'normal', mean: 30, sd: 5, min: 0 });
    expect(scenario.agents.get('worker')?.outputTokens).toEqual({ kind: 'uniform', min: 100, max: 300 });
  });

  it('without dist, still merges into the base distribution (changing one parameter)', () => {
    const scenario = compileScenarioText(SCENARIO('    agents: { worker: { outputTokens: { max: 500 } } }'), 'v.yaml');
    expect(scenario.variants.get('other')!.agents.get('worker')?.outputTokens).toEqual({ kind: 'uniform', min: 100, max: 500 });
  });

  it('mergeOverride: a map with a dist replaces; a map merely holding a key named dist (an agent) merges', () => {
    expect(mergeOverride({ d: { dist: 'uniform', min: 1, max: 2 } }, { d: { dist: 'fixed', value: 3 } })).toEqual({ d: { dist: 'fixed', value: 3 } });
    expect(mergeOverride({ agents: { dist: { role: 'r', skill: 0.9 }, b: { role: 'q' } } }, { agents: { dist: { skill: 0.5 } } })).toEqual({
      agents: { dist: { role: 'r', skill: 0.5 }, b: { role: 'q' } },
    });
  });
});
