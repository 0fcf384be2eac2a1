/**
 * The verdict of `patternbench advise`: per measure, whether the best pattern of the scenario as
 * written still wins under each assumption changed on its own, and where not, which assumption
 * flips it and at what value (the crossing on that assumption's line, with its interval). The
 * decision is robust when the gated measures (by default `threshold_pass`, the report's decision)
 * hold under every change.
 */
import type { Crossing, SweepBoundaries } from './boundaries.ts';
import { formatAxisValue, formatInterval, significanceText } from './boundary-format.ts';
import { markdownCell } from './format.ts';
import type { SweepAxisData } from './sweep-data.ts';
import { SWEEP_MEASURES, type SweepMeasure } from './sweep-measures.ts';

/** An assumption whose change flips the best pattern on a measure. */
export interface AdviceFlip {
  /** The assumption (its axis path) and the changed value. */
  readonly assumption: string;
  readonly from: string;
  readonly to: string;
  /** The best pattern(s) with the change. */
  readonly winners: readonly string[];
  /** Where on the assumption's line the best pattern changes; null when the analysis found none (a tie between). */
  readonly crossing: Crossing | null;
}

/** One measure's verdict. */
export interface AdviceMeasure {
  readonly measure: SweepMeasure;
  /** The best pattern(s) of the scenario as written; empty when none has a value. */
  readonly winners: readonly string[];
  /** Changes checked (points besides the scenario as written). */
  readonly changes: number;
  readonly flips: readonly AdviceFlip[];
  /** Whether the measure gates the exit code. */
  readonly gated: boolean;
}

/** The verdict on one scenario. */
export interface Advice {
  readonly scenario: string;
  readonly measures: readonly AdviceMeasure[];
  /** True when every gated measure holds under every change. */
  readonly robust: boolean;
}

/**
 * The verdict of `boundaries` (an `advise` sweep: point 0 is the scenario as written, every other
 * point changes one axis). A change flips a measure when none of its best patterns is among those
 * of the scenario as written.
 */
export function adviseVerdict(boundaries: SweepBoundaries, gate: readonly SweepMeasure[]): Advice {
  const base = boundaries.points.find((point) => point.point === 0);
  const changed = boundaries.points.filter((point) => point !== base);
  const measures = SWEEP_MEASURES.map((measure): AdviceMeasure => {
    const winners = base?.measures[measure.name].winners ?? [];
    const flips: AdviceFlip[] = [];
    for (const point of changed) {
      const axis = point.coordinates.findIndex((coordinate, index) => coordinate.value !== base?.coordinates[index]?.value);
      const now = point.measures[measure.name].winners;
      if (axis < 0 || winners.length === 0 || now.some((candidate) => winners.includes(candidate))) continue;
      const value = point.coordinates[axis]?.value;
      const baseValue = base?.coordinates[axis]?.value ?? 0;
      const crossing =
        boundaries.crossings.find(
          (candidate) =>
            candidate.measure === measure.name &&
            candidate.axis === axis &&
            Math.min(candidate.lower.value, candidate.upper.value) >= Math.min(baseValue, value ?? baseValue) &&
            Math.max(candidate.lower.value, candidate.upper.value) <= Math.max(baseValue, value ?? baseValue),
        ) ?? null;
      flips.push({
        assumption: boundaries.axes[axis]?.path ?? `axis ${axis}`,
        from: base?.coordinates[axis]?.text ?? '',
        to: point.coordinates[axis]?.text ?? '',
        winners: now,
        crossing,
      });
    }
    return { measure: measure.name, winners, changes: changed.length, flips, gated: gate.includes(measure.name) };
  });
  const robust = measures.every((measure) => !measure.gated || (measure.winners.length > 0 && measure.flips.length === 0));
  return { scenario: boundaries.scenario, measures, robust };
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Where a flip happens, in words: `; it changes at ≈ 0.86 [0.84–0.88] (significant on both sides …)`. */
function flipWhere(boundaries: SweepBoundaries, flip: AdviceFlip): string {
  const crossing = flip.crossing;
  if (crossing === null) return '';
  const axis = boundaries.axes[crossing.axis] as SweepAxisData;
  return `; it changes at ≈ ${formatAxisValue(axis, crossing.at)} ${formatInterval(axis, crossing.interval)} (${significanceText(crossing)})`;
}

/** One sentence per measure. */
export function adviceSentences(boundaries: SweepBoundaries, advice: Advice): string[] {
  return advice.measures.map((entry) => {
    const title = SWEEP_MEASURES.find((measure) => measure.name === entry.measure)?.title ?? entry.measure;
    const mark = entry.gated ? ' [gate]' : '';
    if (entry.winners.length === 0) return `${title}${mark}: no pattern has a value in the scenario as written.`;
    const who = listed([...entry.winners]);
    const holds = entry.winners.length === 1 ? 'holds' : 'hold';
    if (entry.flips.length === 0) return `${title}${mark}: ${who} ${holds} under all ${entry.changes} changes.`;
    const flips = entry.flips.map((flip) => `${flip.assumption} ${flip.from} → ${flip.to} makes ${listed([...flip.winners])} best${flipWhere(boundaries, flip)}`);
    return `${title}${mark}: ${who} ${holds} under ${entry.changes - entry.flips.length} of ${entry.changes} changes; the lead changes when ${flips.join('; when ')}.`;
  });
}

/** The verdicts as text or markdown (`json`: the verdicts themselves). */
export function formatAdvice(pairs: readonly { readonly boundaries: SweepBoundaries; readonly advice: Advice }[], format: 'table' | 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify(pairs.map((pair) => pair.advice), null, 2);
  return pairs
    .map(({ boundaries, advice }) => {
      const gated = advice.measures.filter((measure) => measure.gated).map((measure) => measure.measure).join(', ');
      const verdict = advice.robust ? `robust: ${gated} holds under every change` : `not robust: ${gated} flips under some change`;
      const sentences = adviceSentences(boundaries, advice);
      const headers = ['assumption', 'changed to', ...SWEEP_MEASURES.map((measure) => measure.name)];
      const base = boundaries.points.find((point) => point.point === 0);
      const rows = boundaries.points
        .filter((point) => point !== base)
        .map((point) => {
          const axis = point.coordinates.findIndex((coordinate, index) => coordinate.value !== base?.coordinates[index]?.value);
          return [
            boundaries.axes[axis]?.path ?? '',
            `${base?.coordinates[axis]?.text ?? ''} → ${point.coordinates[axis]?.text ?? ''}`,
            ...SWEEP_MEASURES.map((measure) => {
              const winners = point.measures[measure.name].winners;
              const held = winners.some((candidate) => base?.measures[measure.name].winners.includes(candidate));
              return held ? 'holds' : winners.join(' = ') || '–';
            }),
          ];
        });
      const title = `advice for ${advice.scenario} (the scenario as written against ${rows.length} changed assumptions)`;
      if (format === 'markdown') {
        return [
          `#### ${title}`,
          '',
          `**${verdict}**`,
          '',
          ...sentences.map((sentence) => `- ${sentence}`),
          '',
          `| ${headers.map(markdownCell).join(' | ')} |`,
          `| ${headers.map(() => '---').join(' | ')} |`,
          ...rows.map((row) => `| ${row.map(markdownCell).join(' | ')} |`),
        ].join('\n');
      }
      const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
      const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
      return [`${title}:`, ...sentences.map((sentence) => `  ${sentence}`), '', line(headers), ...rows.map(line), '', verdict].join('\n');
    })
    .join('\n\n');
}
