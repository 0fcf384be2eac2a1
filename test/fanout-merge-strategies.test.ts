import { describe, expect, it } from 'vitest';
import { mergeOutputs } from '../patterns/fanout-merge.ts';
import type { AgentOutput } from '../patterns/types.ts';

const out = (label: string, confidence: number, tokens = 100): AgentOutput => ({ agent: 'w', label, confidence, tokens });

describe('fan-out merge strategies (pure)', () => {
  const outputs = [out('a', 0.6), out('b', 0.95), out('a', 0.55)];

  it('concat keeps a label only when all agree; a disagreement stays unresolved and is marked on the output', () => {
    const merged = mergeOutputs('concat', outputs);
    expect(merged.output.label).toBeUndefined();
    expect(merged.conflicts).toBe(1);
    expect(merged.unresolved).toBe(1);
    expect(merged.output.conflicts).toBe(1);
    expect(merged.output.tokens).toBe(300);
    expect(mergeOutputs('concat', [out('a', 0.6), out('a', 0.7)]).output.label).toBe('a');
  });

  it('vote takes the majority label; confidence-weighted the label with the most summed confidence', () => {
    expect(mergeOutputs('vote', outputs).output.label).toBe('a');
    expect(mergeOutputs('confidence-weighted', outputs).output.label).toBe('a'); // 0.6 + 0.55 > 0.95
    expect(mergeOutputs('confidence-weighted', [out('a', 0.4), out('b', 0.95), out('a', 0.5)]).output.label).toBe('b');
    expect(mergeOutputs('vote', outputs).unresolved).toBe(0);
  });

  it('vote breaks a tie by summed confidence, then by worker order', () => {
    expect(mergeOutputs('vote', [out('a', 0.6), out('b', 0.9)]).output.label).toBe('b');
    expect(mergeOutputs('vote', [out('a', 0.7), out('b', 0.7)]).output.label).toBe('a');
  });

  it('findings: concat keeps the union, vote keeps what at least half the covering workers reported', () => {
    const reports: AgentOutput[] = [
      { agent: 'x', findings: ['fin:a', 'fin:b'], confidence: 0.9, tokens: 10 },
      { agent: 'y', findings: ['fin:a'], confidence: 0.9, tokens: 10 },
      { agent: 'z', findings: ['fin:a', 'fin:c'], confidence: 0.9, tokens: 10 },
      { agent: 'w', findings: ['legal:d'], confidence: 0.9, tokens: 10 },
    ];
    expect(mergeOutputs('concat', reports).output.findings).toEqual(['fin:a', 'fin:b', 'fin:c', 'legal:d']);
    expect(mergeOutputs('concat', reports).unresolved).toBe(2);
    expect(mergeOutputs('vote', reports).output.findings).toEqual(['fin:a', 'legal:d']);
  });

  it('values: vote takes the median, confidence-weighted the weighted mean', () => {
    const values: AgentOutput[] = [
      { agent: 'x', value: 100, confidence: 1, tokens: 1 },
      { agent: 'y', value: 300, confidence: 1, tokens: 1 },
      { agent: 'z', value: 110, confidence: 2, tokens: 1 },
    ];
    expect(mergeOutputs('vote', values).output.value).toBe(110);
    expect(mergeOutputs('confidence-weighted', values).output.value).toBeCloseTo((100 + 300 + 220) / 4, 12);
    expect(mergeOutputs('concat', values).output.value).toBeUndefined();
  });
});
