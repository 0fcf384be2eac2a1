import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { captureIo } from './support/capture-io.ts';
import { issuesOf, yaml } from './support/scenario-issues.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-autoscale-bad-'));

/** A valid scenario whose worker's pool is on lines 7 onwards (`pool` replaces them). */
function withPool(...pool: string[]): string {
  return yaml(
    'name: bad-pool',
    'agents:',
    '  worker:',
    '    role: works',
    '    model: small-fast',
    '    pool:',
    ...pool,
    'cases:',
    '  generate: { count: 5, labels: { a: 1 } }',
    'patterns:',
    '  sequential: { steps: [worker] }',
  );
}

const located = (text: string) => issuesOf(text).map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);

describe('an autoscaled pool with bad settings', () => {
  it('accepts a good one and fills the defaults (so the cases below fail for their own reason)', () => {
    const scenario = compileScenarioText(withPool('      slotsPerReplica: 4', '      replicas: { min: 1, max: 10 }'), 'good.yaml');
    const pool = scenario.agents.get('worker')?.pool;
    expect(pool?.slots).toBe(4);
    expect(pool?.autoscale).toEqual({
      slotsPerReplica: 4, minReplicas: 1, maxReplicas: 10, initialReplicas: 1, targetUtilisation: 0.7, syncPeriodMs: 15_000,
      coldStartMs: { kind: 'fixed', value: 0 }, scaleUpWindowMs: 0, scaleDownWindowMs: 300_000, tolerance: 0.1, costPerReplicaHour: 0, spot: null,
    });
  });

  it('leaves a plain { slots } pool as it was: no autoscale key in the compiled scenario', () => {
    const pool = compileScenarioText(withPool('      slots: 8'), 'good.yaml').agents.get('worker')?.pool;
    expect(pool).toEqual({ slots: 8, onFull: 'queue', maxQueue: null });
    expect(Object.keys(pool ?? {})).toEqual(['slots', 'onFull', 'maxQueue']);
  });

  it.each([
    ['min above max', ['      slotsPerReplica: 4', '      replicas: { min: 5, max: 2 }'], '8:24 agents.worker.pool.replicas.min: min (5) must not be more than max (2)'],
    ['initial outside min..max', ['      slotsPerReplica: 4', '      replicas: { min: 1, max: 3, initial: 4 }'], '8:44 agents.worker.pool.replicas.initial: initial (4) must be within min (1) and max (3)'],
    ['a target of 0', ['      slotsPerReplica: 4', '      replicas: { min: 1, max: 3 }', '      targetUtilisation: 0'], '9:26 agents.worker.pool.targetUtilisation: must be in (0, 1], got 0'],
    ['a target above 1', ['      slotsPerReplica: 4', '      replicas: { min: 1, max: 3 }', '      targetUtilisation: 1.5'], '9:26 agents.worker.pool.targetUtilisation: must be in (0, 1], got 1.5'],
    ['a negative cold start', ['      slotsPerReplica: 4', '      replicas: { min: 1, max: 3 }', '      coldStart: -5'], '9:18 agents.worker.pool.coldStart'],
    ['a negative stabilisation window', ['      slotsPerReplica: 4', '      replicas: { min: 1, max: 3 }', '      stabilisation: { down: -1 }'], '9:30 agents.worker.pool.stabilisation.down'],
    ['a sync period of 0', ['      slotsPerReplica: 4', '      replicas: { min: 1, max: 3 }', '      syncPeriod: 0s'], '9:19 agents.worker.pool.syncPeriod: must be longer than 0'],
    ['both slots and replicas', ['      slots: 4', '      slotsPerReplica: 4', '      replicas: { min: 1, max: 3 }'], '7:14 agents.worker.pool.slots: give either'],
    ['replicas without slotsPerReplica', ['      replicas: { min: 1, max: 3 }'], '6:5 agents.worker.pool.slotsPerReplica: an autoscaled pool needs slotsPerReplica'],
    ['autoscaling settings on a fixed pool', ['      slots: 4', '      targetUtilisation: 0.5'], '8:26 agents.worker.pool.targetUtilisation: only applies to an autoscaled pool'],
    ['a spot share of 0', ['      slotsPerReplica: 4', '      replicas: { min: 1, max: 3 }', '      spot: { share: 0, reclaimPerHour: 1 }'], '9:22 agents.worker.pool.spot.share'],
  ])('%s is located at line, column and field', (_, pool, expected) => {
    const issues = located(withPool(...pool));
    expect(issues.some((issue) => issue.startsWith(expected))).toBe(true);
  });

  it.each([['validate'], ['run']])('%s exits 2 with the located message and writes nothing', async (command) => {
    const file = join(folder, `min-max-${command}.yaml`);
    const db = join(folder, `min-max-${command}.db`);
    writeFileSync(file, withPool('      slotsPerReplica: 4', '      replicas: { min: 5, max: 2 }'));
    const io = captureIo();
    expect(await main(command === 'run' ? ['run', file, '--db', db, '--quiet'] : ['validate', file], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(`${file}:8:24 agents.worker.pool.replicas.min: min (5) must not be more than max (2)`);
    expect(existsSync(db)).toBe(false);
  });
});
