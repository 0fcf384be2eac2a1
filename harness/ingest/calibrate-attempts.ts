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
import { UNEXPORTED_ATTEMPT } from './import-agents.ts';
import { ATTEMPT_LAYER } from './import-http-attempts.ts';

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
  /** A failed attempt the instrumentation did not export, read from its failed agent call (`UNEXPORTED_ATTEMPT`); default false. */
  readonly unexported?: boolean;
  /** For an imported attempt: one HTTP request (`http`), or a client call, which may hide the client's retries (`sdk`); undefined for a run's own. */
  readonly layer?: 'http' | 'sdk';
}

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * The attempts in `path`: a results database, or an OTLP/JSON trace file. Bad input is `USAGE` or
 * `TRACE_INVALID`, and a damaged or foreign SQLite file `DATABASE_CORRUPT` or `SCHEMA_MISMATCH`.
 */
export function readAttempts(path: string): ObservedAttempt[] {
  if (!existsSync(path)) throw new HarnessError('USAGE', `no results database or trace file at ${path}`);
  const attempts = withAgentModels(isSqlite(path) ? attemptsOfDatabase(path) : attemptsOfSpans(readTraceFiles([path]).flatMap((run) => run.spans)));
  if (attempts.length === 0) throw new HarnessError('TRACE_INVALID', `${path} holds no model attempts (no chat spans with a gen_ai.request.model)`);
  return attempts;
}

/**
 * The attempts with the unexported ones given their agent's model (the one most of its exported
 * attempts name; an unexported attempt of an agent without any is left out).
 */
function withAgentModels(attempts: readonly ObservedAttempt[]): ObservedAttempt[] {
  const counts = new Map<string, Map<string, { provider: string; n: number }>>();
  for (const attempt of attempts) {
    if (attempt.unexported === true || attempt.model === '') continue;
    const models = counts.get(attempt.agent) ?? new Map<string, { provider: string; n: number }>();
    counts.set(attempt.agent, models);
    const seen = models.get(attempt.model) ?? { provider: attempt.provider, n: 0 };
    models.set(attempt.model, { provider: seen.provider, n: seen.n + 1 });
  }
  return attempts.flatMap((attempt) => {
    if (attempt.unexported !== true || attempt.model !== '') return [attempt];
    const models = [...(counts.get(attempt.agent) ?? [])].sort(([, a], [, b]) => b.n - a.n);
    const [model, seen] = models[0] ?? [];
    return model === undefined || seen === undefined ? [] : [{ ...attempt, model, provider: attempt.provider === '' ? seen.provider : attempt.provider }];
  });
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
    const attempts = rows.map((row): ObservedAttempt => ({
      agent: row.agent_name ?? '',
      provider: row.provider ?? '',
      model: row.request_model,
      durationMs: row.duration_ms,
      // Parsing every span's JSON costs more than the fit: only text naming a first token can carry one.
      ttftMs: /ttft|first_(token|chunk)/.test(row.attributes) ? ttftMsOf(JSON.parse(row.attributes) as SpanRecord['attributes']) : null,
      errorType: row.status === 'error' ? (row.error_type ?? 'error') : null,
      inputTokens: row.input_tokens ?? 0,
      outputTokens: row.output_tokens ?? 0,
      ...layerOf(row.attributes),
    }));
    const unexported = db
      .prepare(
        `SELECT agent_name, provider, request_model, duration_ms, error_type FROM spans
         WHERE operation = 'invoke_agent' AND status = 'error' AND instr(attributes, '"${UNEXPORTED_ATTEMPT}":true') > 0`,
      )
      .all() as Pick<ChatRow, 'agent_name' | 'provider' | 'request_model' | 'duration_ms' | 'error_type'>[];
    return [...attempts, ...unexported.map((row) => unexportedAttempt(row.agent_name ?? '', row.provider ?? '', row.request_model ?? '', row.duration_ms, row.error_type))];
  } finally {
    db.close();
  }
}

function layerOf(attributes: string): { layer?: 'http' | 'sdk' } {
  if (!attributes.includes(ATTEMPT_LAYER)) return {};
  return attributes.includes(`"${ATTEMPT_LAYER}":"http"`) ? { layer: 'http' } : { layer: 'sdk' };
}

function unexportedAttempt(agent: string, provider: string, model: string, durationMs: number, errorType: string | null): ObservedAttempt {
  return { agent, provider, model, durationMs, ttftMs: null, errorType: errorType ?? 'error', inputTokens: 0, outputTokens: 0, unexported: true };
}

/**
 * The attempts among `spans`: `chat` spans, or (when no span names an operation) spans naming a
 * request model; and a failed attempt for each agent call marked as holding an unexported one.
 */
export function attemptsOfSpans(spans: readonly SpanRecord[]): ObservedAttempt[] {
  const named = spans.some((span) => typeof span.attributes['gen_ai.operation.name'] === 'string');
  const attempts: ObservedAttempt[] = [];
  for (const span of spans) {
    const a = span.attributes;
    if (a[UNEXPORTED_ATTEMPT] === true && span.status === 'error') {
      const text = (key: string): string => (typeof a[key] === 'string' ? a[key] : '');
      attempts.push(unexportedAttempt(text('gen_ai.agent.name'), text('gen_ai.provider.name'), text('gen_ai.request.model'), span.endMs - span.startMs, text('error.type') || null));
      continue;
    }
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
      ...(a[ATTEMPT_LAYER] === 'http' || a[ATTEMPT_LAYER] === 'sdk' ? { layer: a[ATTEMPT_LAYER] } : {}),
    });
  }
  return attempts;
}
