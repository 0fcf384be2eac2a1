/**
 * The model attempts `calibrate` fits profiles to: the `chat` spans of a results file or of
 * OTLP/JSON trace files (spans with a `gen_ai.request.model` when a source names no operations).
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { HarnessError } from '../kernel/errors.ts';
import { readTraceFiles } from './import.ts';
import { ttftMsOf } from '../agents/record-key.ts';
import type { SpanRecord } from '../kernel/records.ts';
import { openResultsReadonly, type ResultsReader } from '../../reports/store/open-results.ts';

/** One model attempt as observed. */
export interface ObservedAttempt {
  /** `gen_ai.agent.name`; '' when the span names no agent. */
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  readonly durationMs: number;
  /** Time to first token, ms; null when the span does not carry it. */
  readonly ttftMs: number | null;
  /** `error.type` of a failed attempt; null when it succeeded. */
  readonly errorType: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * The attempts in `path`: a results database, or an OTLP/JSON trace file. Bad input is `USAGE` or
 * `TRACE_INVALID`, and a damaged or foreign SQLite file `DATABASE_CORRUPT` or `SCHEMA_MISMATCH`.
 */
export function readAttempts(path: string): ObservedAttempt[] {
  if (!existsSync(path)) throw new HarnessError('USAGE', `no results database or trace file at ${path}`);
  const attempts = isSqlite(path) ? attemptsOfDatabase(path) : attemptsOfSpans(readTraceFiles([path]).flatMap((run) => run.spans));
  if (attempts.length === 0) throw new HarnessError('TRACE_INVALID', `${path} holds no model attempts (no chat spans with a gen_ai.request.model)`);
  return attempts;
}

function isSqlite(path: string): boolean {
  const buffer = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('latin1') === SQLITE_HEADER;
}

interface ChatRow {
  readonly agent_name: string | null;
  readonly provider: string | null;
  readonly request_model: string;
  readonly duration_ms: number;
  readonly error_type: string | null;
  readonly status: string;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly attributes: string;
}

/** What `calibrate` reads of a results file. */
export const CALIBRATE_READER: ResultsReader = { name: 'calibrate', relations: ['spans'] };

function attemptsOfDatabase(path: string): ObservedAttempt[] {
  const db = openResultsReadonly(path, CALIBRATE_READER);
  try {
    const rows = db
      .prepare(
        `SELECT agent_name, provider, request_model, duration_ms, error_type, status, input_tokens, output_tokens, attributes
         FROM spans WHERE operation = 'chat' AND request_model IS NOT NULL`,
      )
      .all() as ChatRow[];
    return rows.map((row) => ({
      agent: row.agent_name ?? '',
      provider: row.provider ?? '',
      model: row.request_model,
      durationMs: row.duration_ms,
      // Parsing every span's JSON costs more than the fit: only text naming a first token can carry one.
      ttftMs: /ttft|first_(token|chunk)/.test(row.attributes) ? ttftMsOf(JSON.parse(row.attributes) as SpanRecord['attributes']) : null,
      errorType: row.status === 'error' ? (row.error_type ?? 'error') : null,
      inputTokens: row.input_tokens ?? 0,
      outputTokens: row.output_tokens ?? 0,
    }));
  } finally {
    db.close();
  }
}

/** The attempts among `spans`: `chat` spans, or (when no span names an operation) spans naming a request model. */
export function attemptsOfSpans(spans: readonly SpanRecord[]): ObservedAttempt[] {
  const named = spans.some((span) => typeof span.attributes['gen_ai.operation.name'] === 'string');
  const attempts: ObservedAttempt[] = [];
  for (const span of spans) {
    const a = span.attributes;
    const model = a['gen_ai.request.model'];
    if (typeof model !== 'string' || (named && a['gen_ai.operation.name'] !== 'chat')) continue;
    attempts.push({
      agent: typeof a['gen_ai.agent.name'] === 'string' ? a['gen_ai.agent.name'] : '',
      provider: typeof a['gen_ai.provider.name'] === 'string' ? a['gen_ai.provider.name'] : '',
      model,
      durationMs: span.endMs - span.startMs,
      ttftMs: ttftMsOf(a),
      errorType: span.status === 'error' ? String(a['error.type'] ?? 'error') : null,
      inputTokens: typeof a['gen_ai.usage.input_tokens'] === 'number' ? a['gen_ai.usage.input_tokens'] : 0,
      outputTokens: typeof a['gen_ai.usage.output_tokens'] === 'number' ? a['gen_ai.usage.output_tokens'] : 0,
    });
  }
  return attempts;
}
