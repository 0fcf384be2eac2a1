import { afterAll, describe, expect, it } from 'vitest';
import { wilsonInterval } from '../harness/kernel/statistics.ts';
import type { ChartSpec, DatasetSpec, PointSpec } from '../reports/html/chart-spec.ts';
import { accuracyAxisRange, accuracyCostChart, costAxisRange, markerRadii, MIN_ACCURACY_SPAN } from '../reports/html/charts.ts';
import { runFindings, scenarioReport } from '../reports/html/data.ts';
import type { Db } from '../reports/store/schema.ts';
import { emptyResultsDb, insertRun, insertWorkflows } from './support/threshold-db.ts';

/** True when `value` is a whole multiple of `step` (to floating-point dust). */
const onStep = (value: number, step: number): boolean => Math.abs(value / step - Math.round(value / step)) < 1e-9;

describe('accuracyAxisRange', () => {
  it('never zooms a 1-point spread into the full height: the window spans at least 10 points', () => {
    const range = accuracyAxisRange([0.905, 0.908, 0.915]);
    expect(range.max - range.min).toBeGreaterThanOrEqual(MIN_ACCURACY_SPAN - 1e-12);
    expect(range.min).toBeLessThanOrEqual(0.905 - 0.02);
    expect(range.max).toBeGreaterThanOrEqual(0.915 + 0.02);
    expect(range).toEqual({ min: 0.85, max: 0.95, step: 0.05 });
  });

  it('ends on whole ticks and stays inside [0, 1]', () => {
    expect(accuracyAxisRange([0.99, 1])).toEqual({ min: 0.9, max: 1, step: 0.05 });
    expect(accuracyAxisRange([0, 0.01])).toEqual({ min: 0, max: 0.1, step: 0.05 });
    const wide = accuracyAxisRange([0.0747, 0.9062]);
    expect(wide).toEqual({ min: 0, max: 1, step: 0.1 });
    for (const values of [[0.5066, 0.8866, 0.98], [0.605, 0.75, 0.78, 0.95], [0.8175, 0.9225]]) {
      const range = accuracyAxisRange(values);
      expect(onStep(range.min, range.step) && onStep(range.max, range.step), JSON.stringify(range)).toBe(true);
      expect(range.min).toBeGreaterThanOrEqual(0);
      expect(range.max).toBeLessThanOrEqual(1);
      expect(range.min).toBeLessThan(Math.min(...values));
      expect(range.max).toBeGreaterThan(Math.max(...values));
    }
  });
});

describe('costAxisRange', () => {
  it('starts at $0 and ends on a round tick a little above the dearest, in 4 to 8 ticks', () => {
    for (const values of [[0.0012, 0.00129], [0.335, 0.64, 1.3, 1.4], [0.0069, 0.0062, 0.0336], [0.0074, 0.0055]]) {
      const range = costAxisRange(values);
      const top = Math.max(...values);
      expect(range.min).toBe(0);
      expect(range.max).toBeGreaterThanOrEqual(top * 1.08);
      expect(range.max).toBeLessThan(top * 1.08 + range.step + 1e-12);
      expect(onStep(range.max, range.step)).toBe(true);
      expect(Math.round(range.max / range.step)).toBeGreaterThanOrEqual(4);
      expect(Math.round(range.max / range.step)).toBeLessThanOrEqual(8);
      expect([1, 2, 2.5, 5]).toContain(Number((range.step / 10 ** Math.floor(Math.log10(range.step))).toPrecision(6)));
    }
    expect(costAxisRange([0.335, 1.3, 1.4])).toEqual({ min: 0, max: 1.6, step: 0.2 });
  });
});

describe('markerRadii', () => {
  const axis = { min: 0, max: 1, step: 0.1 };
  it('draws each of the points that coincide a size larger than the one drawn over it', () => {
    expect(markerRadii([{ x: 0.5, y: 0.5 }, { x: 0.505, y: 0.5 }, { x: 0.5, y: 0.51 }, { x: 0.9, y: 0.9 }], axis, axis)).toEqual([6, 9, 12, 6]);
  });
});

// Scenario `choice`: two router variants with the same cost and answers (their points coincide),
// a single agent that is dearer and more accurate, a fanout dearer and less accurate than the routers.
// Scenario `close`: two patterns a point of accuracy apart.
function build(): Db {
  const db = emptyResultsDb();
  const series = (scenario: string, pattern: string, variant: string, costUsd: number, correct: number, n: number): void => {
    const runId = `${scenario}-${pattern}-${variant}`;
    insertRun(db, { runId, scenario, pattern, variant });
    insertWorkflows(
      db,
      runId,
      Array.from({ length: n }, (_, i) => ({ status: 'completed' as const, intendedStartMs: i * 1000, startMs: i * 1000, endMs: i * 1000 + 500, costUsd, correct: i < correct })),
    );
  };
  series('choice', 'router', 'base', 0.007, 90, 100);
  series('choice', 'router', 'sanitised', 0.007, 90, 100);
  series('choice', 'single-agent', 'base', 0.034, 94, 100);
  series('choice', 'fanout', 'base', 0.02, 80, 100);
  series('close', 'router', 'base', 0.01, 905, 1000);
  series('close', 'single-agent', 'base', 0.011, 915, 1000);
  return db;
}

const db = build();
afterAll(() => db.close());
const findings = runFindings(db);
const chart = (scenario: string): ChartSpec => accuracyCostChart(scenarioReport(db, scenario, findings), 's0');
/** The points of `dataset`, their coordinates rounded to 12 digits (a mean cost of 0.007 is 0.007000000000000001). */
const points = (dataset: DatasetSpec | undefined): PointSpec[] =>
  ((dataset?.data ?? []) as PointSpec[]).map((point) => ({ ...point, x: Number(point.x.toPrecision(12)), y: typeof point.y === 'number' ? Number(point.y.toPrecision(12)) : point.y }));

describe('the accuracy against cost chart', () => {
  const spec = chart('choice');
  const marker = (label: string): DatasetSpec | undefined => spec.datasets.find((dataset) => dataset.label === label);

  it('fixes both axes from a floor: cost from $0, accuracy over at least 10 points holding every whisker', () => {
    expect(spec.x).toMatchObject({ format: 'usd', min: 0 });
    expect(spec.x.max).toBeGreaterThanOrEqual(0.034);
    const close = chart('close');
    expect((close.y.max as number) - (close.y.min as number)).toBeGreaterThanOrEqual(MIN_ACCURACY_SPAN - 1e-12);
    expect(close.x.min).toBe(0);
    const ends = spec.datasets.filter((dataset) => dataset.inLegend === false).flatMap((dataset) => points(dataset).map((point) => point.y as number | null));
    for (const end of ends) if (end !== null) expect(end).toBeGreaterThanOrEqual(spec.y.min as number);
    for (const end of ends) if (end !== null) expect(end).toBeLessThanOrEqual(spec.y.max as number);
  });

  it('keeps coinciding points both visible: its own shape each, the one drawn under larger, see-through fills', () => {
    const router = marker('router');
    const sanitised = marker('router (sanitised)');
    expect(points(router)[0]).toMatchObject({ x: 0.007, y: 0.9 });
    expect(points(sanitised)[0]).toMatchObject({ x: 0.007, y: 0.9 });
    expect(router?.pointStyle).not.toEqual(sanitised?.pointStyle);
    expect(sanitised?.pointRadius).toBeGreaterThan(router?.pointRadius as number);
    expect(router?.hollow && sanitised?.hollow).toBe(true);
    expect(spec.pointLegend).toBe(true);
  });

  it('labels each point on the chart with whether it is on the Pareto frontier', () => {
    expect(points(marker('router'))[0]?.label).toBe('router: on the frontier');
    expect(points(marker('router (sanitised)'))[0]?.label).toBe('router (sanitised): on the frontier');
    expect(points(marker('single-agent'))[0]?.label).toBe('single-agent: on the frontier');
    expect(points(marker('fanout'))[0]?.label).toBe('fanout: beaten by router');
  });

  it('draws the frontier as a stepped line in the legend, from the floor under the cheapest to the right edge', () => {
    const frontier = spec.datasets.find((dataset) => dataset.label.startsWith('Pareto frontier'));
    expect(frontier).toMatchObject({ type: 'line', stepped: true, dashed: true, showLine: true });
    expect(frontier?.inLegend).not.toBe(false);
    expect(points(frontier).map((point) => [point.x, point.y])).toEqual([
      [0.007, spec.y.min],
      [0.007, 0.9],
      [0.007, 0.9],
      [0.034, 0.94],
      [spec.x.max, 0.94],
    ]);
  });

  it('draws 95 % interval whiskers, left out of the legend: Wilson for accuracy', () => {
    const whisker = spec.datasets.find((dataset) => dataset.label === 'fanout 95 % interval');
    expect(whisker?.inLegend).toBe(false);
    const wilson = wilsonInterval(80, 100);
    const vertical = points(whisker).slice(-2);
    expect(vertical.map((point) => point.x)).toEqual([0.02, 0.02]);
    expect(vertical.map((point) => point.y)).toEqual([wilson?.lo, wilson?.hi].map((end) => Number(end?.toPrecision(12))));
  });
});
