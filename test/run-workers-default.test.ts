import { describe, expect, it } from 'vitest';
import { defaultWorkers } from '../harness/cli/run.ts';
import { materialiseCases } from '../harness/run/cases.ts';
import type { RunSpec } from '../harness/run/runner.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import type { LoadModel } from '../harness/scenario/types.ts';

const scenario = compileScenarioText(
  `name: default-workers
agents:
  worker: { role: answers, model: mid-tier }
cases:
  generate: { count: 10, labels: { ok: 1 } }
patterns:
  single-agent: { agent: worker }
`,
  'default-workers.yaml',
);

function spec(load: LoadModel, traces: RunSpec['traces'] = null): RunSpec {
  return { scenario, pattern: 'single-agent', variant: 'base', seed: 1, cases: materialiseCases(scenario, null), repeat: 1, load, traces };
}

const closed: LoadModel = { kind: 'closed', concurrency: 4, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: null, windowMs: null };
/** An hour of open arrivals: tail sampling by default (longer than ten minutes). */
const hour: LoadModel = { kind: 'open', process: 'poisson', phases: [{ durationMs: 3_600_000, fromPerSecond: 10, toPerSecond: 10 }], maxInFlight: null, onFull: 'drop', windowMs: null };

describe('the default number of workers', () => {
  it('is one per two cores when a run keeps every trace (its writer thread takes a core)', () => {
    expect(defaultWorkers([spec(closed)], 2)).toBe(1);
    expect(defaultWorkers([spec(closed)], 8)).toBe(4);
    expect(defaultWorkers([spec(hour), spec(hour, { mode: 'all' })], 8)).toBe(4);
    expect(defaultWorkers([spec(closed)], 1)).toBe(1);
  });

  it('is one per core when every run samples its traces', () => {
    expect(defaultWorkers([spec(hour)], 2)).toBe(2);
    expect(defaultWorkers([spec(closed, { mode: 'tail', share: 0.01 })], 8)).toBe(8);
  });
});
