import { describe, expect, it } from 'vitest';
import { sharedByWorkflows } from '../harness/run/slices.ts';
import type { RunSpec } from '../harness/run/runner.ts';
import { materialiseCases } from '../harness/run/cases.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** A small chain under an open load, with its state shared by `state`. */
const chain = (state: string) => `
name: state-determinism
agents:
  a: { role: drafts, model: small-fast }
  b: { role: checks, model: small-fast }
cases:
  generate: { count: 20, labels: { yes: 1, no: 1 }, inputTokens: { dist: lognormal, p50: 4000, p95: 9000 } }
patterns:
  sequential: { steps: [a, b] }
load: { arrivals: poisson, rate: 5/s, duration: 20s }
${state}`;

const STATES = [
  'state: { strategy: central, overheadMsPerKb: { dist: uniform, min: 0.5, max: 2 } }',
  'state: { strategy: bus, messageLatency: { dist: lognormal, p50: 5ms, p95: 30ms }, partitions: 3, consumeTime: 20ms }',
  'state: { strategy: retrieval, recall: 0.8 }',
];

describe('a run with state: shared', () => {
  it.each(STATES)('gives the same rows twice from one seed: %s', async (state) => {
    const scenario = scenarioFromYaml(chain(state));
    const first = await runOnce(scenario);
    const second = await runOnce(scenario);
    expect(second.sink?.workflows).toEqual(first.sink?.workflows);
    expect(second.sink?.spans).toEqual(first.sink?.spans);
    expect(second.sink?.aux).toEqual(first.sink?.aux);
    expect(first.sink?.workflows.length).toBeGreaterThan(50);
  });

  it('is not cut into slices when its workflows share the serialiser or the bus; retrieval shares nothing', () => {
    const spec = (state: string): RunSpec => {
      const scenario = scenarioFromYaml(chain(state));
      return { scenario, pattern: 'sequential', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load: scenario.load };
    };
    expect(sharedByWorkflows(spec(STATES[0] as string))).toBe('the central state channel');
    expect(sharedByWorkflows(spec(STATES[1] as string))).toBe('the bus state channel');
    expect(sharedByWorkflows(spec(STATES[2] as string))).toBeNull();
    expect(sharedByWorkflows(spec('state: central'))).toBeNull();
  });
});
