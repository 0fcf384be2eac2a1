/**
 * The charts of a sweep, as the report's `ChartSpec`s (drawn by `reports/html/client.js`): each
 * measure against a swept value — one line per pattern with its 95 % interval band (dashed, the
 * same colour) and each crossing marked (a cross at the interpolated value, its interval as a black
 * bar, labelled) — and, for two swept values, a map of the best pattern over the grid.
 */
import { colour, type AxisSpec, type ChartSpec, type DatasetSpec, type ValueFormat } from '../html/chart-spec.ts';
import type { AxisValue, Crossing, PointResult, SweepBoundaries, SweepLine } from '../summary/boundaries.ts';
import { formatAxisValue, formatInterval } from '../summary/boundary-format.ts';
import type { SweepAxisData } from '../summary/sweep-data.ts';
import { formatMeasure, SWEEP_MEASURES, type SweepMeasureDef } from '../summary/sweep-measures.ts';

/** Most line charts drawn per scenario when a sweep has more than one axis (the rest are in the tables). */
export const MAX_LINE_CHARTS = 24;

/** Colour of a tie on the map. */
const TIE_COLOUR = '#8c959f';

/** How an axis's values print on a chart. */
function axisSpec(axis: SweepAxisData): AxisSpec {
  const text = axis.values[0]?.text ?? '';
  const duration = !text.startsWith('×') && !/\//.test(text) && /\d\s*(us|ms|s|m|h)\s*$/.test(text);
  const unit = /\//.test(text) ? ' (per second)' : text.startsWith('×') ? ' (factor)' : '';
  const format: ValueFormat = duration ? 'duration' : 'ratio';
  return { title: `${axis.path}${unit}${axis.scale === 'log' ? ' (log scale)' : ''}`, format, ...(axis.scale === 'log' ? { log: true } : {}) };
}

function measureFormat(measure: SweepMeasureDef): ValueFormat {
  return measure.unit === 'ratio' ? 'percent' : measure.unit === 'usd' ? 'usd' : 'duration';
}

/** `with load.rate = 12/s` for a line of a grid; '' otherwise. */
function fixedText(line: SweepLine): string {
  return line.fixed.length === 0 ? '' : ` (${line.fixed.map((entry) => `${entry.path} = ${entry.text}`).join(', ')})`;
}

/** The value of `candidate` on `measure` at the crossing: interpolated between its two points. */
function valueAt(crossing: Crossing, lower: PointResult | undefined, upper: PointResult | undefined): number | null {
  const a = lower?.measures[crossing.measure].values[crossing.below] ?? null;
  const b = upper?.measures[crossing.measure].values[crossing.below] ?? null;
  if (a === null || b === null) return a ?? b;
  const span = crossing.upper.value - crossing.lower.value;
  return span === 0 ? a : a + ((crossing.at - crossing.lower.value) / span) * (b - a);
}

/** One measure along one line: a line per candidate, its interval band, the crossings. */
export function lineChart(boundaries: SweepBoundaries, line: SweepLine, measure: SweepMeasureDef, id: string): ChartSpec {
  const axis = boundaries.axes[line.axis] as SweepAxisData;
  const byPoint = new Map(boundaries.points.map((point) => [point.point, point]));
  const along = line.points.map((index) => byPoint.get(index)).filter((point): point is PointResult => point !== undefined);
  const x = (point: PointResult): number => (point.coordinates[line.axis] as AxisValue).value;
  const datasets: DatasetSpec[] = [];
  boundaries.candidates.forEach((candidate, index) => {
    const color = colour(index);
    datasets.push({
      label: candidate,
      color,
      showLine: true,
      pointRadius: 3,
      data: along.map((point) => ({ x: x(point), y: point.measures[measure.name].values[candidate] ?? null, note: point.measures[measure.name].winners.includes(candidate) ? 'best here' : '' })),
    });
    const bands = along.map((point) => point.measures[measure.name].intervals[candidate] ?? null);
    if (bands.every((band) => band === null)) return;
    for (const end of ['lo', 'hi'] as const) {
      datasets.push({
        label: `${candidate} 95% ${end === 'lo' ? 'low' : 'high'}`,
        color,
        showLine: true,
        dashed: true,
        pointRadius: 0,
        inLegend: false,
        data: along.map((point, position) => ({ x: x(point), y: bands[position]?.[end] ?? null })),
      });
    }
  });
  const crossings = boundaries.crossings.filter((crossing) => crossing.measure === measure.name && crossing.axis === line.axis && line.fixed.every((entry, index) => crossing.fixed[index]?.text === entry.text));
  crossings.forEach((crossing, index) => {
    const pointAt = (value: number): PointResult | undefined => along.find((point) => x(point) === value);
    const y = valueAt(crossing, pointAt(crossing.lower.value), pointAt(crossing.upper.value));
    if (y === null) return;
    const first = (along[0]?.coordinates[line.axis] as AxisValue | undefined)?.value ?? crossing.lower.value;
    const last = (along[along.length - 1]?.coordinates[line.axis] as AxisValue | undefined)?.value ?? crossing.upper.value;
    const label = `${crossing.below} → ${crossing.above} at ${formatAxisValue(axis, crossing.at)} ${formatInterval(axis, crossing.interval)}`;
    datasets.push({
      label: 'crossing',
      color: '#1f2328',
      type: 'scatter',
      pointStyle: 'crossRot',
      pointRadius: 9,
      inLegend: index === 0,
      data: [{ x: crossing.at, y, note: label, label: `≈ ${formatAxisValue(axis, crossing.at)}` }],
    });
    datasets.push({
      label: 'crossing 95% interval',
      color: '#1f2328',
      showLine: true,
      pointRadius: 0,
      inLegend: false,
      data: [
        { x: crossing.interval.lo ?? first, y },
        { x: crossing.interval.hi ?? last, y },
      ],
    });
  });
  return {
    id,
    title: `${measure.title} against ${axis.path}${fixedText(line)}`,
    type: 'scatter',
    datasets,
    x: axisSpec(axis),
    y: { title: measure.title, format: measureFormat(measure), ...(measure.unit === 'ratio' ? { max: 1 } : { min: 0 }) },
    note: `Lines: each pattern's value at each point, seeds pooled; dashed: its 95% interval. ✕: where the best pattern changes, with the interval of that value as a black bar.`,
  };
}

/** The best pattern of `measure` over the grid of axes `a` × `b`, one coloured square per point. */
export function mapChart(boundaries: SweepBoundaries, measure: SweepMeasureDef, a: number, b: number, id: string): ChartSpec {
  const axisA = boundaries.axes[a] as SweepAxisData;
  const axisB = boundaries.axes[b] as SweepAxisData;
  const groups = new Map<string, { x: number; y: number; note: string }[]>();
  for (const point of boundaries.points) {
    const winners = point.measures[measure.name].winners;
    const label = winners.length === 0 ? 'none' : winners.join(' = ');
    const best = winners[0] === undefined ? null : point.measures[measure.name].values[winners[0]] ?? null;
    const entry = { x: (point.coordinates[a] as AxisValue).value, y: (point.coordinates[b] as AxisValue).value, note: `${label}: ${formatMeasure(measure, best)}` };
    groups.set(label, [...(groups.get(label) ?? []), entry]);
  }
  const size = Math.max(axisA.values.length, axisB.values.length);
  const radius = Math.max(6, Math.min(22, Math.floor(260 / size)));
  const datasets: DatasetSpec[] = [...groups].map(([label, data]) => {
    const index = boundaries.candidates.indexOf(label);
    return { label, data, color: index >= 0 ? colour(index) : TIE_COLOUR, pointStyle: 'rect', pointRadius: radius, type: 'scatter' };
  });
  return {
    id,
    title: `Best on ${measure.title}: ${axisA.path} × ${axisB.path}`,
    type: 'scatter',
    datasets,
    x: axisSpec(axisA),
    y: axisSpec(axisB),
    pointLegend: true,
    note: 'One square per point of the grid, coloured by the pattern with the best value there (grey: a tie).',
  };
}

/**
 * The charts of one scenario's sweep: for one axis, each measure against it; for two (a grid), the
 * map of the best pattern per measure; otherwise (three axes, or `advise`'s one-at-a-time changes)
 * the lines on which a best pattern changes, each measure that changes (at most `MAX_LINE_CHARTS`).
 */
export function sweepCharts(boundaries: SweepBoundaries, prefix: string): ChartSpec[] {
  const axes = boundaries.axes.length;
  const complete = boundaries.points.length === boundaries.axes.reduce((product, axis) => product * axis.values.length, 1);
  if (axes === 1) {
    const line = boundaries.lines[0];
    return line === undefined ? [] : SWEEP_MEASURES.map((measure) => lineChart(boundaries, line, measure, `${prefix}-${measure.name}`));
  }
  if (axes === 2 && complete) return SWEEP_MEASURES.map((measure) => mapChart(boundaries, measure, 0, 1, `${prefix}-map-${measure.name}`));
  const charts: ChartSpec[] = [];
  boundaries.lines.forEach((line, lineIndex) => {
    for (const measure of SWEEP_MEASURES) {
      if (charts.length >= MAX_LINE_CHARTS) return;
      const changes = boundaries.crossings.some((crossing) => crossing.measure === measure.name && crossing.axis === line.axis && line.fixed.every((entry, index) => crossing.fixed[index]?.text === entry.text));
      if (changes) charts.push(lineChart(boundaries, line, measure, `${prefix}-line${lineIndex}-${measure.name}`));
    }
  });
  return charts;
}
