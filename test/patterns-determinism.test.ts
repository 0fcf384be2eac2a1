import { describe, expect, it } from 'vitest';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import type { PatternName } from '../harness/scenario/types.ts';
import { runOnce } from './support/run-scenario.ts';

const shipped = (name: string) => compileScenarioFile(new URL(`../scenarios/${name}.yaml`, import.meta.url).pathname);
const cells: [string, PatternName][] = [
  ['due-diligence', 'fanout'],
  ['due-diligence', 'supervisor'],
  ['support-routing', 'router'],
  ['market-research', 'supervisor'],
  ['insurance-claim', 'single-agent'],
  ['claims-hybrid', 'hybrid'],
];

describe('determinism of every executor on the shipped scenarios', () => {
  for (const [name, pattern] of cells) {
    it(`${name}/${pattern}: the same seed gives identical workflows and spans; another seed does not`, async () => {
      const scenario = shipped(name);
      const first = await runOnce(scenario, { pattern, cases: 60, concurrency: 7 });
      const second = await runOnce(scenario, { pattern, cases: 60, concurrency: 7 });
      const other = await runOnce(scenario, { pattern, cases: 60, concurrency: 7, seed: scenario.seed + 1 });
      expect(second.sink!.workflows).toEqual(first.sink!.workflows);
      expect(second.sink!.spans).toEqual(first.sink!.spans);
      expect(other.sink!.workflows).not.toEqual(first.sink!.workflows);
    });
  }
});
