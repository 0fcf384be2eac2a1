import { describe, expect, it } from 'vitest';
import { materialiseCases } from '../harness/run/cases.ts';
import { closedLoad } from '../harness/scenario/load-overrides.ts';
import type { RunSpec } from '../harness/run/runner.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import type { PatternName } from '../harness/scenario/types.ts';
import { MemorySink } from '../reports/store/memory-sink.ts';
import { checkpointRows, resumeOneWorkflow } from './support/resume-fixtures.ts';
import { runOnce } from './support/run-scenario.ts';

async function interruptedAt(file: string, pattern: PatternName) {
  const scenario = compileScenarioFile(new URL(`../scenarios/${file}.yaml`, import.meta.url).pathname);
  const spec: RunSpec = { scenario, pattern, variant: 'base', seed: scenario.seed, cases: materialiseCases(scenario, 4), repeat: 1, load: closedLoad(1) };
  const full = (await runOnce(scenario, { pattern, cases: 4, concurrency: 1 })).sink as MemorySink;
  const original = full.workflows[2]!;
  const checkpoints = checkpointRows(full).filter((row) => row.workflowId === original.workflowId);
  const keeps = [1, Math.floor(checkpoints.length / 2), checkpoints.length - 1];
  return { spec, original, checkpoints, keeps };
}

/** Resumes the workflow from its first `kept` checkpoints; returns the row and the `invoke_agent` spans made. */
async function resumeFrom(fixture: Awaited<ReturnType<typeof interruptedAt>>, kept: number) {
  const sink = new MemorySink();
  await resumeOneWorkflow(fixture.spec, fixture.original, fixture.checkpoints.slice(0, kept), sink);
  const replayed = new Set(fixture.checkpoints.slice(0, kept).flatMap((row) => JSON.parse(row.spanIds) as string[]));
  const calls = sink.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
  return { row: sink.workflows[0]!, calls, remade: calls.filter((span) => replayed.has(span.spanId)) };
}

describe.each([
  ['legal-review', 'sequential'],
  ['market-research', 'fanout'],
] as const)('a %s %s workflow resumed from its first checkpoints', (file, pattern) => {
  it('ends with the row of the uninterrupted workflow, making only the calls not checkpointed', async () => {
    const fixture = await interruptedAt(file, pattern);
    // One checkpoint per call, numbered in the order the pattern issued them (saved as they complete).
    expect(fixture.checkpoints.map((row) => row.step).sort((a, b) => a - b)).toEqual([...Array(fixture.original.agentCalls).keys()]);
    for (const kept of fixture.keeps) {
      const { row, calls, remade } = await resumeFrom(fixture, kept);
      expect(row).toEqual(fixture.original);
      expect(calls).toHaveLength(fixture.original.agentCalls - kept);
      expect(remade).toEqual([]);
    }
  });
});

describe('a supervisor workflow resumed from its first checkpoints', () => {
  // Its reviews of parallel workers overlap on one agent, whose streams they share: the re-made
  // calls draw fresh numbers (documented in harness/run/recovery/checkpoint.ts), so only the counts must hold.
  it('makes only the calls not checkpointed, and counts the replayed ones in its totals', async () => {
    const fixture = await interruptedAt('market-research', 'supervisor');
    for (const kept of fixture.keeps) {
      const { row, calls, remade } = await resumeFrom(fixture, kept);
      expect(row.traceId).toBe(fixture.original.traceId);
      expect(row.status).toBe('completed');
      expect(calls).toHaveLength(row.agentCalls - kept);
      expect(remade).toEqual([]);
    }
  });
});
