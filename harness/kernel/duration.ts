import { HarnessError } from './errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|ms|s|m|h)\s*$/;

/** Longest duration accepted anywhere (30 days): a longer one is a typo, and would never end. */
export const MAX_DURATION_MS = 30 * 86_400_000;

/**
 * Parses a duration into milliseconds, at most `MAX_DURATION_MS`. Accepts `"250ms"`, `"3s"`, `"1.5m"`, `"2h"`, `"40us"`,
 * or a non-negative number, read as milliseconds. Throws `DURATION_INVALID` otherwise.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return bounded(value, `${value}`);
    throw new HarnessError('DURATION_INVALID', `duration must be a non-negative number of milliseconds, got ${value}`);
  }
  const match = DURATION.exec(value);
  if (!match) {
    throw new HarnessError('DURATION_INVALID', `"${shorten(value)}" is not a duration (use e.g. "250ms", "3s", "2m", "1h")`);
  }
  return bounded(Number(match[1]) * (UNIT_MS[match[2] as string] as number), value);
}

function bounded(ms: number, text: string): number {
  if (ms <= MAX_DURATION_MS) return ms;
  throw new HarnessError('DURATION_INVALID', `"${shorten(text.trim())}" is longer than the limit of 30 days`);
}

/** A value quoted in a message: a 400-digit number is cut, not printed whole. */
function shorten(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 20)}…${text.slice(-10)} (${text.length} characters)`;
}

/** Formats milliseconds compactly for tables: `850ms`, `12.3s`, `4.2m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)}m`;
  return `${(ms / 3_600_000).toFixed(1)}h`;
}
