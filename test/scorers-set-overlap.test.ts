import { describe, expect, it } from 'vitest';
import { scoreOutput, setOverlap } from '../harness/run/scorers.ts';

describe('set-overlap scorer', () => {
  it('computes precision, recall and F1 by hand: 2 of 3 reported are expected, 2 of 4 expected found', () => {
    const overlap = setOverlap(['f:a', 'f:b', 'f:c', 'f:d'], ['f:a', 'F:B ', 'f:x']);
    expect(overlap.precision).toBeCloseTo(2 / 3, 12);
    expect(overlap.recall).toBeCloseTo(1 / 2, 12);
    expect(overlap.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5), 12);
  });

  it('treats empty sets sensibly: nothing expected, nothing found is perfect; nothing found when something is expected is 0', () => {
    expect(setOverlap([], [])).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(setOverlap(['f:a'], [])).toEqual({ precision: 1, recall: 0, f1: 0 });
  });

  it('counts a workflow right when F1 reaches passAt, and records precision and recall', () => {
    const spec = { kind: 'set-overlap', passAt: 0.8 } as const;
    const score = scoreOutput(spec, { findings: ['f:a', 'f:b', 'f:c', 'f:d', 'f:e'] }, { agent: 'x', tokens: 1, findings: ['f:a', 'f:b', 'f:c', 'f:d'] });
    expect(score?.correct).toBe(true);
    expect(score?.score).toBeCloseTo(8 / 9, 12);
    expect(score?.details).toEqual({ 'patternbench.precision': 1, 'patternbench.recall': 0.8 });
    const low = scoreOutput(spec, { findings: ['f:a', 'f:b', 'f:c'] }, { agent: 'x', tokens: 1, findings: ['f:a'] });
    expect(low?.correct).toBe(false);
    expect(scoreOutput(spec, { label: 'x' }, { agent: 'x', tokens: 1 })).toBeNull();
  });
});
