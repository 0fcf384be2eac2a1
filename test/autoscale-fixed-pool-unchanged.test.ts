import { describe, expect, it } from 'vitest';
import { standardInterceptors } from '../harness/pipeline/call-pipeline.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';
import type { MemorySink } from '../reports/store/memory-sink.ts';

/** The same agent with a fixed pool, or (`autoscaled`) on replicas that never scale (min = max = 2 of 2 slots: the same 4 slots). */
function scenario(pool: string): string {
  return `
name: pools
agents:
  worker:
    role: works
    model: small-fast
    pool: ${pool}
cases:
  generate: { count: 60, labels: { a: 1 } }
patterns:
  single-agent: { agent: worker, absorbs: [] }
load: { concurrency: 6 }
`;
}

const FIXED = '{ slots: 4 }';
const STEADY = '{ slotsPerReplica: 2, replicas: { min: 2, max: 2 } }';

describe('a fixed pool beside autoscaling', () => {
  it('keeps its stages: no preemption stage unless an agent autoscales', () => {
    const names = (yaml: string): string[] => standardInterceptors(scenarioFromYaml(yaml)).map((stage) => stage.name);
    expect(names(scenario(FIXED))).not.toContain('preemption');
    expect(names(scenario(STEADY)).at(-1)).toBe('preemption');
  });

  it('records no autoscale events, and an autoscaled pool that never scales admits exactly as the fixed pool of its slots', async () => {
    const fixed = (await runOnce(scenarioFromYaml(scenario(FIXED)))).sink as MemorySink;
    const steady = (await runOnce(scenarioFromYaml(scenario(STEADY)))).sink as MemorySink;
    const autoscaleEvents = (sink: MemorySink) => sink.aux.filter((record) => record.table === 'events' && (record.row as { kind: string }).kind.startsWith('autoscale.'));
    expect(autoscaleEvents(fixed)).toEqual([]);
    expect(autoscaleEvents(steady).length).toBeGreaterThan(0);
    // Same slots, same draws: the same workflows, to the last digit (the run config differs, not the rows).
    expect(steady.workflows).toEqual(fixed.workflows);
  });
});
