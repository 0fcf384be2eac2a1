/**
 * A sweep's boundaries in words and tables: one sentence per measure and line (where the best
 * pattern changes, with its 95 % interval and whether the difference is significant on each side),
 * the table of crossings, the candidates that stop (or start) passing their thresholds, and the
 * best candidate at each point. `table` and `markdown` print them; `json` gives the whole analysis.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { oneAtATime, sweepExtent, type Crossing, type Interval, type SweepBoundaries, type SweepLine, type ViabilityFlip } from './boundaries.ts';
import { markdownCell } from './format.ts';
import type { SweepAxisData } from './sweep-data.ts';
import { SWEEP_MEASURES, type SweepMeasureDef } from './sweep-measures.ts';

/** How boundaries print. */
export type BoundaryFormat = 'table' | 'markdown' | 'json';

/** The unit an axis's values are written in, read from their texts. */
function axisUnit(axis: SweepAxisData): 'duration' | 'rate' | 'factor' | 'number' {
  const text = axis.values[0]?.text ?? '';
  if (text.startsWith('×')) return 'factor';
  if (/\/\s*\w+\s*$/.test(text)) return 'rate';
  if (/\d\s*(us|ms|s|m|h)\s*$/.test(text)) return 'duration';
  return 'number';
}

/** Three significant digits, without trailing zeros: 0.834, 12.4, 1,250. */
function significant(value: number): string {
  if (value === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 10))).toLocaleString('en-US', { maximumFractionDigits: 10 });
}

/** A value of `axis` as it reads: `0.834`, `2.41s`, `12.4/s`, `×1.6`. */
export function formatAxisValue(axis: SweepAxisData, value: number): string {
  switch (axisUnit(axis)) {
    case 'duration':
      return formatDuration(value);
    case 'rate':
      return `${significant(value)}/s`;
    case 'factor':
      return `×${significant(value)}`;
    default:
      return significant(value);
  }
}

/** `[0.80–0.86]`, `[below 0.7–0.86]`, `[0.80–beyond 0.98]`. */
export function formatInterval(axis: SweepAxisData, interval: Interval): string {
  const first = axis.values[0];
  const last = axis.values[axis.values.length - 1];
  const lo = interval.lo === null ? `below ${first?.text ?? '?'}` : formatAxisValue(axis, interval.lo);
  const hi = interval.hi === null ? `beyond ${last?.text ?? '?'}` : formatAxisValue(axis, interval.hi);
  return `[${lo}–${hi}]`;
}

function measureDef(name: Crossing['measure']): SweepMeasureDef {
  return SWEEP_MEASURES.find((measure) => measure.name === name) as SweepMeasureDef;
}

/** `, with load.rate = 12/s` for a line of a grid; '' for a one-axis sweep. */
function fixedText(fixed: SweepLine['fixed']): string {
  return fixed.length === 0 ? '' : ` with ${fixed.map((entry) => `${entry.path} = ${entry.text}`).join(', ')}`;
}

/**
 * What a crossing's significance says: significant on both sides, or where not and the nearest
 * points where each side is significantly better.
 */
export function significanceText(crossing: Crossing): string {
  if (crossing.significantBelow === null || crossing.significantAbove === null) return 'threshold checks are not resampled: the interval is the two points around it';
  if (crossing.significantBelow && crossing.significantAbove) return `significant on both sides, at ${crossing.lower.text} and ${crossing.upper.text}`;
  const weak = [!crossing.significantBelow ? crossing.lower.text : null, !crossing.significantAbove ? crossing.upper.text : null].filter((text) => text !== null);
  const side = (who: string, point: Crossing['clearBelow'], where: string): string => `${who} ${point === null ? `at no point ${where}` : `at ${point.text}`}`;
  return `within noise at ${weak.join(' and ')}; significantly better: ${side(crossing.below, crossing.clearBelow, 'below')}, ${side(crossing.above, crossing.clearAbove, 'above')}`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * One sentence per measure and line. With more than one swept value, a measure whose best pattern
 * is the same at every point says so once, and only the lines on which the best pattern changes
 * get a sentence (the map and the table of points show the rest).
 */
export function boundarySentences(boundaries: SweepBoundaries): string[] {
  const sentences: string[] = [];
  const byPoint = new Map(boundaries.points.map((point) => [point.point, point]));
  const grid = boundaries.axes.length > 1;
  for (const measure of SWEEP_MEASURES) {
    if (grid) {
      const first = boundaries.points[0]?.measures[measure.name].winners ?? [];
      const always = first.filter((candidate) => boundaries.points.every((point) => point.measures[measure.name].winners.includes(candidate)));
      if (always.length > 0) {
        sentences.push(`${measure.title}: ${listed(always)} ${always.length === 1 ? 'is' : 'are'} best at every point of the sweep.`);
        continue;
      }
    }
    for (const line of boundaries.lines) {
      const axis = boundaries.axes[line.axis] as SweepAxisData;
      const first = byPoint.get(line.points[0] as number);
      const last = byPoint.get(line.points[line.points.length - 1] as number);
      const range = `${axis.path} ${first?.coordinates[line.axis]?.text ?? '?'}–${last?.coordinates[line.axis]?.text ?? '?'}`;
      const crossings = boundaries.crossings.filter((crossing) => crossing.measure === measure.name && crossing.axis === line.axis && sameLine(crossing.fixed, line.fixed));
      const head = `${measure.title}${fixedText(line.fixed)}`;
      if (crossings.length === 0) {
        if (grid) continue;
        const winners = new Set(line.points.flatMap((point) => byPoint.get(point)?.measures[measure.name].winners ?? []));
        const always = [...winners].filter((candidate) => line.points.every((point) => byPoint.get(point)?.measures[measure.name].winners.includes(candidate) === true));
        if (winners.size === 0) sentences.push(`${head}: no pattern has a value anywhere on ${range}.`);
        else if (always.length > 0) sentences.push(`${head}: ${listed(always)} ${always.length === 1 ? 'is' : 'are'} best at every point (${range}).`);
        else sentences.push(`${head}: ${listed([...winners].sort())} share the lead on ${range} (ties or missing values between them).`);
        continue;
      }
      const parts = crossings.map((crossing, index) => {
        const where = `${crossing.path} ≈ ${formatAxisValue(axis, crossing.at)} ${formatInterval(axis, crossing.interval)}`;
        return `${index === 0 ? `${crossing.below} is best below` : `${crossing.below} from there to`} ${where} (${significanceText(crossing)})`;
      });
      const final = crossings[crossings.length - 1] as Crossing;
      sentences.push(`${head}: ${parts.join('; ')}; ${final.above} above it.`);
    }
  }
  for (const flip of boundaries.flips) sentences.push(flipSentence(boundaries.axes[flip.axis] as SweepAxisData, flip));
  return sentences;
}

function sameLine(a: SweepLine['fixed'], b: SweepLine['fixed']): boolean {
  return a.length === b.length && a.every((entry, index) => entry.path === b[index]?.path && entry.text === b[index]?.text);
}

function flipSentence(axis: SweepAxisData, flip: ViabilityFlip): string {
  const where = `${flip.path} ≈ ${formatAxisValue(axis, flip.at)} (between ${flip.lower.text} and ${flip.upper.text})`;
  const why = flip.reasons.length === 0 ? '' : `: ${flip.reasons.join('; ')}`;
  return flip.becomes === 'not viable'
    ? `${flip.candidate} stops passing${fixedText(flip.fixed)} above ${where}${why}.`
    : `${flip.candidate} passes${fixedText(flip.fixed)} only above ${where}; below it${why}.`;
}

/**
 * The table of crossings: measure, the field along which, the other fields' values (a grid only),
 * best below and above, the crossing, its interval, and whether each side is significant.
 */
export function crossingTable(boundaries: SweepBoundaries): { headers: string[]; rows: string[][] } {
  const grid = boundaries.crossings.some((crossing) => crossing.fixed.length > 0);
  const yesNo = (value: boolean | null): string => (value === null ? '–' : value ? 'yes' : 'no');
  const headers = ['measure', 'along', ...(grid ? ['where'] : []), 'best below', 'best above', 'crossing', '95% interval', 'significant below / above'];
  const rows = boundaries.crossings.map((crossing) => {
    const axis = boundaries.axes[crossing.axis] as SweepAxisData;
    return [
      crossing.measure,
      crossing.path,
      ...(grid ? [crossing.fixed.map((entry) => `${entry.path} = ${entry.text}`).join(', ')] : []),
      crossing.below,
      crossing.above,
      formatAxisValue(axis, crossing.at),
      formatInterval(axis, crossing.interval),
      `${yesNo(crossing.significantBelow)} / ${yesNo(crossing.significantAbove)}`,
    ];
  });
  return { headers, rows };
}

/**
 * How a table names each point: by its value on every axis, or — for one-at-a-time changes from the
 * first point (`advise`, more than two axes) — by the one axis it changes and its value there.
 */
export function pointColumns(boundaries: SweepBoundaries): { headers: string[]; cells: (point: SweepBoundaries['points'][number]) => string[] } {
  const base = boundaries.points[0];
  const changed = (point: SweepBoundaries['points'][number]): number[] =>
    point.coordinates.flatMap((coordinate, axis) => (coordinate?.value !== base?.coordinates[axis]?.value ? [axis] : []));
  if (!oneAtATime(boundaries)) return { headers: boundaries.axes.map((axis) => axis.path), cells: (point) => point.coordinates.map((coordinate) => coordinate?.text ?? '') };
  return {
    headers: ['changed', 'to'],
    cells: (point) => {
      const axis = changed(point)[0];
      return axis === undefined ? ['(as written)', ''] : [boundaries.axes[axis]?.path ?? '', point.coordinates[axis]?.text ?? ''];
    },
  };
}

/** The best candidate per point and measure (`a = b` for a tie). */
function winnerRows(boundaries: SweepBoundaries): { headers: string[]; rows: string[][] } {
  const columns = pointColumns(boundaries);
  const headers = [...columns.headers, ...SWEEP_MEASURES.map((measure) => measure.name)];
  const rows = boundaries.points.map((point) => [...columns.cells(point), ...SWEEP_MEASURES.map((measure) => point.measures[measure.name].winners.join(' = ') || '–')]);
  return { headers, rows };
}

function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${headers.map(markdownCell).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(markdownCell).join(' | ')} |`)].join('\n');
}

/** What the intervals rest on, in a line. */
function methodNote(boundaries: SweepBoundaries): string {
  const intervals =
    boundaries.interval === 'seeds'
      ? `95% intervals: t intervals over the ${boundaries.replicates} seeds' runs.`
      : `95% intervals: bootstrap over cases (${boundaries.replicates.toLocaleString('en-US')} resamples, the same draws for every pattern and point).`;
  return `${intervals} Threshold pass: the cheapest per correct answer among the patterns that pass every threshold and complete at least ${Math.round(boundaries.minSuccess * 100)}% of their arrivals.`;
}

/** The boundaries of each scenario's sweep in `format`. */
export function formatBoundaries(all: readonly SweepBoundaries[], format: BoundaryFormat): string {
  if (format === 'json') return JSON.stringify(all, null, 2);
  const blocks: string[] = [];
  for (const boundaries of all) {
    const sentences = boundarySentences(boundaries);
    const crossings = crossingTable(boundaries);
    const winners = winnerRows(boundaries);
    const title = `boundaries of ${boundaries.scenario} (${boundaries.points.length} points × ${boundaries.candidates.length} patterns; ${sweepExtent(boundaries)})`;
    if (format === 'markdown') {
      blocks.push(
        [
          `#### ${title}`,
          '',
          ...sentences.map((sentence) => `- ${sentence}`),
          '',
          methodNote(boundaries),
          ...(crossings.rows.length === 0 ? [] : ['', markdownTable(crossings.headers, crossings.rows)]),
          '',
          '##### best at each point',
          '',
          markdownTable(winners.headers, winners.rows),
        ].join('\n'),
      );
    } else {
      blocks.push(
        [
          `${title}:`,
          ...sentences.map((sentence) => `  ${sentence}`),
          `  ${methodNote(boundaries)}`,
          ...(crossings.rows.length === 0 ? [] : ['', textTable(crossings.headers, crossings.rows)]),
          '',
          'best at each point:',
          textTable(winners.headers, winners.rows),
        ].join('\n'),
      );
    }
  }
  return blocks.length === 0 ? 'no sweep in this file (no sweep_points rows)' : blocks.join('\n\n');
}
