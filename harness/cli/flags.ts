/**
 * Parsers of the command-line flags that `run`, `sweep` and `advise` share, and the matrix options
 * (patterns, variants, seeds, cases, repeats, load) they make of commander's flags. Each parser
 * refuses a bad value with commander's `InvalidArgumentError`, which `main` turns into exit 2.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '../kernel/duration.ts';
import { parseRate } from '../scenario/schema/load.ts';
import { parseThreshold, type ThresholdSpec } from '../scenario/thresholds.ts';
import { PATTERN_NAMES, type PatternName } from '../scenario/types.ts';
import type { MatrixOptions } from '../run/matrix.ts';

/** Upper limits of count flags: far beyond any run this machine finishes, short of exhausting memory. */
export const FLAG_LIMITS = { cases: 1_000_000, repeat: 10_000, concurrency: 1_000_000, maxInFlight: 10_000_000 } as const;

/** `--cases 12`: a positive integer up to `max`. */
export function positiveInteger(name: string, max: number): (value: string) => number {
  return (value) => {
    const number = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'`);
    if (number > max) throw new InvalidArgumentError(`${name} must be at most ${max.toLocaleString('en-US')}, got ${value.trim()}`);
    return number;
  };
}

/** `--seed 1,2,3`: distinct integers from 0 to 2³² − 1; an empty or repeated seed is refused. */
export function seedList(value: string): number[] {
  const seeds = value.split(',').map((part) => {
    const text = part.trim();
    const seed = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(seed) || seed > 0xffffffff) {
      throw new InvalidArgumentError(text === '' ? `seed list '${value}' has an empty entry` : `seed must be an integer from 0 to 4294967295, got '${text}'`);
    }
    return seed;
  });
  const repeated = seeds.find((seed, index) => seeds.indexOf(seed) !== index);
  if (repeated !== undefined) throw new InvalidArgumentError(`seed ${repeated} is given twice (each seed is one run of each cell)`);
  return seeds;
}

/** `--otlp <url>`: an http(s) URL, checked before anything runs. */
export function otlpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`'${value}' is not a URL (use e.g. http://localhost:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`OTLP/HTTP needs an http: or https: URL, got '${url.protocol}'`);
  return value;
}

/** `--pattern router,fanout`: known pattern names. */
export function patternList(value: string): PatternName[] {
  return value.split(',').map((part) => {
    const name = part.trim();
    if (!(PATTERN_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown pattern '${name}' (known: ${PATTERN_NAMES.join(', ')})`);
    }
    return name as PatternName;
  });
}

/** `--variant base,cheap`: variant names as written. */
export function variantList(value: string): string[] {
  return value.split(',').map((part) => part.trim());
}

/** `--rate 50`, `--rate 50/s`, `--rate 3000/m`: arrivals per second. */
export function rateOption(value: string): number {
  const rate = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : parseRate(value);
  if (rate === null || !(rate > 0)) throw new InvalidArgumentError(`'${value}' is not a rate (use e.g. 50, "50/s", "3000/m")`);
  return rate;
}

/** `--duration 10m`: milliseconds. */
export function durationOption(value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new InvalidArgumentError(`'${value}' is not a duration (use e.g. "30s", "10m", "1h")`);
  }
}

/** `--shard 2/4`: shard i of n, 1 ≤ i ≤ n. */
export function shardOption(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`shard must be i/n with 1 ≤ i ≤ n, got '${value}'`);
  return { index, count };
}

/** `--threshold "p95(latency) < 20s"`, repeatable: the thresholds given so far with this one. */
export function collectThreshold(value: string, previous: ThresholdSpec[]): ThresholdSpec[] {
  const parsed = parseThreshold(value);
  if (!parsed.ok) throw new InvalidArgumentError(`threshold "${value}": ${parsed.message}`);
  return [...previous, parsed.threshold];
}

/** The matrix and load options of `run`, `sweep` and `advise`, from commander's parsed flags. */
export function matrixFlags(flags: Record<string, unknown>): MatrixOptions {
  return {
    patterns: (flags['pattern'] as PatternName[] | undefined) ?? null,
    variants: (flags['variant'] as string[] | undefined) ?? null,
    seeds: (flags['seed'] as number[] | undefined) ?? null,
    cases: (flags['cases'] as number | undefined) ?? null,
    repeat: flags['repeat'] as number,
    concurrency: (flags['concurrency'] as number | undefined) ?? null,
    load: {
      ratePerSecond: (flags['rate'] as number | undefined) ?? null,
      arrivals: (flags['arrivals'] as 'constant' | 'poisson' | undefined) ?? null,
      durationMs: (flags['duration'] as number | undefined) ?? null,
      maxInFlight: (flags['maxInFlight'] as number | undefined) ?? null,
    },
  };
}

/**
 * Adds the matrix and load options of `run`, `sweep` and `advise` to `command` (`--pattern` …
 * `--max-in-flight`; `matrixFlags` reads them back). `seeds` says what `--seed` runs.
 */
export function addMatrixOptions(command: Command, seeds: string): Command {
  return command
    .option('--pattern <names>', 'only these patterns (comma-separated)', patternList)
    .option('--variant <names>', 'only these variants, comma-separated (base = the scenario as written)', variantList)
    .option('--seed <seeds>', `${seeds}, comma-separated (default: the scenario's)`, seedList)
    .option('--cases <n>', "number of cases (default: the scenario's)", positiveInteger('--cases', FLAG_LIMITS.cases))
    .option('--repeat <k>', 'run each case k times', positiveInteger('--repeat', FLAG_LIMITS.repeat), 1)
    .option('--concurrency <n>', "closed load: workflows in flight at once (default: the scenario's load, else 1)", positiveInteger('--concurrency', FLAG_LIMITS.concurrency))
    .option('--rate <rate>', 'open load: arrivals per second, or "50/s", "3000/m" (needs --duration)', rateOption)
    .addOption(new Option('--arrivals <process>', 'open load: constant or poisson arrivals (default poisson)').choices(['constant', 'poisson']))
    .option('--duration <duration>', 'length of the load: "10m", "1h" (open: how long arrivals go on; closed: stop starting workflows after)', durationOption)
    .option('--max-in-flight <n>', 'open load: cap on workflows in flight; arrivals beyond it are dropped', positiveInteger('--max-in-flight', FLAG_LIMITS.maxInFlight));
}
