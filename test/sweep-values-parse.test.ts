// `--vary PATH=VALUES`: lists and ranges in the scenario's own units, read back exactly as written
// into the scenario; two `--vary` make a grid whose last field changes fastest.
import { describe, expect, it } from 'vitest';
import { gridDesign, pointLabel } from '../harness/run/sweep/sweep-plan.ts';
import { readSweepSource } from '../harness/run/sweep/sweep-point.ts';
import { parseSweepPath, parseVary } from '../harness/run/sweep/sweep-values.ts';

const values = (option: string): [number, string][] => parseVary(option).values.map((value) => [value.value, value.text]);

describe('--vary values', () => {
  it('spaces a range evenly, ends included, rounded to six significant digits', () => {
    const spec = parseVary('agents.ticket-classifier.skill=0.7..0.98:8');
    expect(spec).toMatchObject({ path: 'agents.ticket-classifier.skill', segments: ['agents', 'ticket-classifier', 'skill'], unit: 'number', scale: 'linear' });
    expect(values('x=0.7..0.98:8')).toEqual([0.7, 0.74, 0.78, 0.82, 0.86, 0.9, 0.94, 0.98].map((value) => [value, String(value)]));
    expect(values('x=0..1:4')).toEqual([[0, '0'], [0.333333, '0.333333'], [0.666667, '0.666667'], [1, '1']]);
  });

  it('spaces a range logarithmically with ~', () => {
    const spec = parseVary('load.rate=1/s~100/s:3');
    expect(spec.scale).toBe('log');
    expect(spec.values.map((value) => value.text)).toEqual(['1/s', '10/s', '100/s']);
    expect(() => parseVary('x=0~1:3')).toThrow('a log-spaced range (~) needs both ends above 0');
  });

  it('keeps the units of rates and durations, as the scenario writes them', () => {
    expect(values('load.rate=1/s..40/s:4')).toEqual([[1, '1/s'], [14, '14/s'], [27, '27/s'], [40, '40/s']]);
    expect(values('load.rate=600/m,1200/m')).toEqual([[10, '600/m'], [20, '1200/m']]);
    expect(values('timeout=1s..30s:5')).toEqual([[1000, '1s'], [8250, '8.25s'], [15500, '15.5s'], [22750, '22.75s'], [30000, '30s']]);
    // Ends in different units are written in the base unit (ms), each value read back from its text.
    expect(values('timeout=250ms..2s:4')).toEqual([[250, '250ms'], [833.333, '833.333ms'], [1416.67, '1416.67ms'], [2000, '2000ms']]);
    expect(parseVary('timeout=250ms,2s').unit).toBe('duration');
  });

  it('reads list items and indices in either form', () => {
    expect(parseSweepPath('load.phases[1].rate')).toEqual(['load', 'phases', 1, 'rate']);
    expect(parseSweepPath('load.phases.1.rate')).toEqual(['load', 'phases', 1, 'rate']);
    expect(parseSweepPath('cases.inline[0].input["a.b"]')).toEqual(['cases', 'inline', 0, 'input', 'a.b']);
    expect(parseVary('load.phases.1.rate=2/s').path).toBe('load.phases[1].rate');
  });

  it('refuses values of mixed kinds, repeated values and oversized ranges', () => {
    expect(() => parseVary('x=1,2s')).toThrow('the values are of different kinds (1 is a number, 2s a duration)');
    expect(() => parseVary('x=1/s,60/m')).toThrow('60/m is the same value as 1/s');
    expect(() => parseVary('x=0..1:1')).toThrow('a range needs at least 2 values');
    expect(() => parseVary('x=0..1:1001')).toThrow('at most 1000 values per field');
    expect(() => parseVary('x=1..1:3')).toThrow('starts and ends at the same value');
  });
});

describe('grid of two --vary', () => {
  it('is every combination, the last field changing fastest, each point setting both fields', () => {
    const source = readSweepSource(new URL('../scenarios/support-routing.yaml', import.meta.url).pathname);
    const design = gridDesign(source, [parseVary('agents.ticket-classifier.skill=0.8,0.9'), parseVary('load.concurrency=2,4,8')]);
    expect(design.axes.map((axis) => axis.path)).toEqual(['agents.ticket-classifier.skill', 'load.concurrency']);
    expect(design.points.map((point) => point.coordinates.map((coordinate) => coordinate.text).join(' '))).toEqual(['0.8 2', '0.8 4', '0.8 8', '0.9 2', '0.9 4', '0.9 8']);
    expect(design.points[4]?.assignments).toEqual([
      { segments: ['agents', 'ticket-classifier', 'skill'], value: 0.9 },
      { segments: ['load', 'concurrency'], value: 4 },
    ]);
    expect(() => gridDesign(source, [parseVary('load.concurrency=2'), parseVary('load.concurrency=4')])).toThrow('--vary load.concurrency is given twice');
    expect([pointLabel(3, 6), pointLabel(3, 25), pointLabel(12, 101)]).toEqual(['@p3', '@p03', '@p012']);
  });
});
