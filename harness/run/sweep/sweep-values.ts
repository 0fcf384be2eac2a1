/**
 * `--vary PATH=VALUES`: a scenario field and the values a sweep gives it. Pure parsing — whether
 * PATH names a numeric field of a scenario is checked against the file (`sweep-point.ts`).
 *
 * VALUES is a list (`0.7,0.8,0.9`, `250ms,1s`) or a range with a count: `A..B:N` spaces N values
 * evenly from A to B, `A~B:N` spaces them logarithmically (A and B > 0). Values take the scenario's
 * own unit syntax where the field takes one: durations (`250ms`, `30s`, `2m`) and rates (`12/s`,
 * `600/m`); a plain number is what the field reads it as (milliseconds, per second, a probability).
 */
import { HarnessError } from '../../kernel/errors.ts';
import { DURATION_PATTERN } from '../../scenario/schema/distributions.ts';
import { parseRate, RATE_PATTERN } from '../../scenario/schema/load.ts';
import { parseDuration } from '../../kernel/duration.ts';
import { formatFieldPath, type PathSegment } from '../../scenario/positions.ts';

/** How a swept field's values are written: plain numbers, durations or rates. */
export type SweepUnit = 'number' | 'duration' | 'rate';

/** How the values of an axis are spaced: evenly, or evenly in their logarithm (`A~B:N`). */
export type SweepScale = 'linear' | 'log';

/** One value of a swept field. */
export interface SweepValue {
  /** The value in the field's base unit: the number, milliseconds (duration) or per second (rate). */
  readonly value: number;
  /** As written into the scenario and shown: `0.83`, `250ms`, `12/s`. */
  readonly text: string;
}

/** One `--vary`: a path and its values, in the order given. */
export interface VarySpec {
  /** The path as given: `agents.ticket-classifier.skill`, `load.phases[0].rate`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly values: readonly SweepValue[];
  readonly unit: SweepUnit;
  readonly scale: SweepScale;
}

/** Most values one `--vary` may give (a range's count): a typo must not plan a million runs. */
export const MAX_VALUES_PER_AXIS = 1000;

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const PLAIN = new RegExp(`^${NUMBER}$`);
const RANGE = /^(.+?)\s*(\.\.|~)\s*(.+?)\s*:\s*(\d+)$/;

/** `agents.x.skill=0.7..0.9:3` → the spec. `USAGE` error naming the problem otherwise. */
export function parseVary(option: string): VarySpec {
  const equals = option.indexOf('=');
  if (equals < 1) throw usage(`--vary takes PATH=VALUES (e.g. agents.classifier.skill=0.7..0.98:8), got '${option}'`);
  const path = option.slice(0, equals).trim();
  const segments = parseSweepPath(path);
  const { values, unit, scale } = parseSweepValues(option.slice(equals + 1), path);
  return { path: formatFieldPath(segments), segments, values, unit, scale };
}

/**
 * `agents.x.skill` → `['agents', 'x', 'skill']`; list items as `phases[0]` or `phases.0`, keys
 * holding dots or brackets quoted: `input["a.b"]`.
 */
export function parseSweepPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path.trim();
  if (rest === '') throw usage('--vary needs a field path before "=" (e.g. agents.classifier.skill)');
  let first = true;
  while (rest !== '') {
    let match: RegExpExecArray | null;
    if ((match = /^\[(\d+)\]/.exec(rest)) !== null) segments.push(Number(match[1]));
    else if ((match = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest)) !== null) segments.push(JSON.parse(`"${match[1]}"`) as string);
    else if ((match = (first ? /^([^.[\]]+)/ : /^\.([^.[\]]+)/).exec(rest)) !== null) {
      const key = (match[1] as string).trim();
      segments.push(/^\d+$/.test(key) ? Number(key) : key);
    } else throw usage(`'${path}' is not a field path (write it as in the YAML: agents.classifier.skill, load.phases[0].rate)`);
    rest = rest.slice(match[0].length);
    first = false;
  }
  return segments;
}

/** A value with its unit, before formatting. */
interface Parsed {
  readonly value: number;
  readonly unit: SweepUnit;
  /** The unit's suffix as written: `ms`, `/s`; '' for a plain number. */
  readonly suffix: string;
  /** The number in front of the suffix. */
  readonly amount: number;
}

/** VALUES of one `--vary` (`path` only names it in messages). */
export function parseSweepValues(text: string, path: string): { values: SweepValue[]; unit: SweepUnit; scale: SweepScale } {
  const trimmed = text.trim();
  if (trimmed === '') throw usage(`--vary ${path}: no values after "=" (give a list such as 0.7,0.8,0.9 or a range such as 0.7..0.98:8)`);
  const range = RANGE.exec(trimmed);
  let values: SweepValue[];
  let unit: SweepUnit;
  let scale: SweepScale = 'linear';
  if (range !== null) {
    const from = parseOne(range[1] as string, path);
    const to = parseOne(range[3] as string, path);
    const count = Number(range[4]);
    scale = range[2] === '~' ? 'log' : 'linear';
    if (from.unit !== to.unit) throw usage(`--vary ${path}: the range's ends are of different kinds (${range[1]} is a ${from.unit}, ${range[3]} a ${to.unit})`);
    if (count < 2) throw usage(`--vary ${path}: a range needs at least 2 values, got :${count}`);
    if (count > MAX_VALUES_PER_AXIS) throw usage(`--vary ${path}: at most ${MAX_VALUES_PER_AXIS} values per field, got :${count}`);
    if (from.value === to.value) throw usage(`--vary ${path}: the range starts and ends at the same value (${range[1]})`);
    if (scale === 'log' && !(from.value > 0 && to.value > 0)) throw usage(`--vary ${path}: a log-spaced range (~) needs both ends above 0`);
    unit = from.unit;
    values = spaced(from, to, count, scale);
  } else {
    const items = trimmed.split(',').map((item) => item.trim());
    if (items.some((item) => item === '')) throw usage(`--vary ${path}: the list '${trimmed}' has an empty entry`);
    if (items.length > MAX_VALUES_PER_AXIS) throw usage(`--vary ${path}: at most ${MAX_VALUES_PER_AXIS} values per field, got ${items.length}`);
    const parsed = items.map((item) => parseOne(item, path));
    unit = (parsed[0] as Parsed).unit;
    const other = parsed.find((item) => item.unit !== unit);
    if (other !== undefined) throw usage(`--vary ${path}: the values are of different kinds (${items[0]} is a ${unit}, ${items[parsed.indexOf(other)]} a ${other.unit})`);
    values = parsed.map((item, index) => ({ value: item.value, text: unit === 'number' ? formatNumber(item.value) : (items[index] as string) }));
  }
  const seen = new Map<number, string>();
  for (const value of values) {
    const earlier = seen.get(value.value);
    if (earlier !== undefined) throw usage(`--vary ${path}: ${value.text} is the same value as ${earlier} (each value is one point of the sweep)`);
    seen.set(value.value, value.text);
  }
  return { values, unit, scale };
}

function parseOne(text: string, path: string): Parsed {
  const item = text.trim();
  if (PLAIN.test(item)) {
    const value = Number(item);
    if (!Number.isFinite(value)) throw usage(`--vary ${path}: '${item}' is not a finite number`);
    return { value, unit: 'number', suffix: '', amount: value };
  }
  if (DURATION_PATTERN.test(item)) {
    const suffix = /(us|ms|s|m|h)\s*$/.exec(item)?.[1] ?? 'ms';
    return { value: parseDuration(item), unit: 'duration', suffix, amount: Number.parseFloat(item) };
  }
  if (RATE_PATTERN.test(item)) {
    const suffix = `/${/\/\s*(\w+)\s*$/.exec(item)?.[1] ?? 's'}`;
    return { value: parseRate(item) as number, unit: 'rate', suffix, amount: Number.parseFloat(item) };
  }
  throw usage(`--vary ${path}: '${item}' is not a number, a duration (250ms, 30s) or a rate (12/s, 600/m)`);
}

/**
 * `count` values from `from` to `to` (both included), evenly or log-spaced, rounded to 6
 * significant digits and written in the ends' own unit when they share one (`1s..30s:5` → 1s,
 * 8.25s, …), else in the base unit (ms, /s). Each value is read back from its text, so what is
 * stored is exactly what the scenario was given.
 */
function spaced(from: Parsed, to: Parsed, count: number, scale: SweepScale): SweepValue[] {
  const sameSuffix = from.suffix === to.suffix;
  const a = sameSuffix ? from.amount : from.value;
  const b = sameSuffix ? to.amount : to.value;
  const suffix = sameSuffix ? from.suffix : from.unit === 'duration' ? 'ms' : '/s';
  const values: SweepValue[] = [];
  for (let index = 0; index < count; index++) {
    const share = index / (count - 1);
    const raw = index === 0 ? a : index === count - 1 ? b : scale === 'log' ? a * (b / a) ** share : a + (b - a) * share;
    const text = `${formatNumber(roundSignificant(raw, 6))}${suffix}`;
    values.push({ value: readBack(text, from.unit), text });
  }
  return values;
}

/** The base-unit value of a value's text. */
function readBack(text: string, unit: SweepUnit): number {
  if (unit === 'duration') return parseDuration(text);
  if (unit === 'rate') return parseRate(text) as number;
  return Number(text);
}

/** `x` to `digits` significant digits (the value written into the scenario and stored). */
export function roundSignificant(x: number, digits: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(digits));
}

/** A number without exponent notation (a duration or rate string cannot carry one). */
export function formatNumber(x: number): string {
  const text = String(x);
  if (!/e/i.test(text)) return text;
  const fixed = x.toFixed(20).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

function usage(message: string): HarnessError {
  return new HarnessError('USAGE', message);
}
