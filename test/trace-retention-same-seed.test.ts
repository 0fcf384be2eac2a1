/**
 * Tail trace retention is a function of the seed: the same seed keeps the same traces, span for
 * span, and the same counts; another seed samples other workflows.
 */
import { describe, expect, it } from 'vitest';
import { keptWorkflows, MIXED_SCENARIO, runTraces } from './support/tail-run.ts';

const TAIL = { mode: 'tail', share: 0.1 } as const;

describe('tail trace retention', () => {
  it('keeps the same traces, span for span, for the same seed, and samples other workflows for another', async () => {
    const first = await runTraces(MIXED_SCENARIO, TAIL);
    const second = await runTraces(MIXED_SCENARIO, TAIL);
    const other = await runTraces(MIXED_SCENARIO, TAIL, { seed: 8 });

    expect(first.outcome.workflows).toBeGreaterThan(2000);
    expect(second.sink.spans).toEqual(first.sink.spans);
    expect(second.outcome.traces).toEqual(first.outcome.traces);
    const kept = keptWorkflows(first.sink);
    expect(kept.size).toBeGreaterThan(0);
    expect(kept.size).toBeLessThan(first.outcome.workflows);
    // The counts by reason account for every kept trace.
    const counts: Record<string, number> = first.outcome.traces.kept ?? {};
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(kept.size);

    // Another seed: other arrivals, other faults, other sampled workflows.
    const sampledOf = (run: typeof first): number[] => [...keptWorkflows(run.sink)].sort((a, b) => a - b);
    expect(sampledOf(other)).not.toEqual(sampledOf(first));
  });
});
