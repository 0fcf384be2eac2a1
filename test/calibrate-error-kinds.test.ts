/**
 * The error kinds of foreign spans: SDK exception names (`error.type`, an `exception` event's
 * `exception.type` or the status its message opens with) and HTTP status codes become the
 * project's `rate_limit`, `timeout` and `error`, so `calibrate` fits the rates apart; the type the
 * instrumentation recorded stays in the span (`patternbench.import.error_type`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces, type ForeignSpan } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-calibrate-error-kinds-'));
const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' };
const exception = (type: string, message: string): ForeignSpan['events'] => [{ name: 'exception', attributes: { 'exception.type': type, 'exception.message': message } }];

/** How each failed attempt is recorded, and the kind it must get. */
const FAILURES: readonly { attributes?: Record<string, string | number>; events?: ForeignSpan['events']; message: string; kind: string }[] = [
  { attributes: { 'error.type': 'RateLimitError' }, message: '429 Rate limit reached', kind: 'rate_limit' },
  { attributes: { 'error.type': 'RateLimitError' }, message: '429 Rate limit reached', kind: 'rate_limit' },
  { attributes: { 'http.response.status_code': 429 }, message: '', kind: 'rate_limit' },
  { events: exception('Error', '429 Rate limit reached for requests'), message: '429 Rate limit reached for requests', kind: 'rate_limit' },
  { attributes: { 'error.type': 'APIConnectionTimeoutError' }, message: 'Request timed out.', kind: 'timeout' },
  { attributes: { 'error.type': 'APIConnectionTimeoutError' }, message: 'Request timed out.', kind: 'timeout' },
  { events: exception('TimeoutError', 'The operation was aborted due to timeout'), message: '', kind: 'timeout' },
  { attributes: { 'error.type': 'InternalServerError' }, message: '500 Internal Server Error', kind: 'error' },
  { attributes: { 'http.response.status_code': 503 }, message: '', kind: 'error' },
  { attributes: { 'error.type': 'APIConnectionError' }, message: 'Connection error.', kind: 'error' },
];

/** Agent call `c`: a failed attempt recorded as `FAILURES[c]`, then one that succeeds. */
function call(c: number): ForeignSpan[] {
  const failure = FAILURES[c] as (typeof FAILURES)[number];
  const t = c.toString(16);
  const at = c * 1000;
  return [
    { trace: t, id: `${t}0`, parent: '', name: 'workflow', startMs: at, endMs: at + 500 },
    { trace: t, id: `${t}1`, parent: `${t}0`, name: 'invoke_agent extractor', startMs: at, endMs: at + 500, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'extractor' } },
    { trace: t, id: `${t}2`, parent: `${t}1`, name: 'chat', startMs: at, endMs: at + 50, kind: 3, attributes: { ...chat, ...failure.attributes }, events: failure.events ?? [], error: failure.message },
    { trace: t, id: `${t}3`, parent: `${t}1`, name: 'chat', startMs: at + 100, endMs: at + 400, kind: 3, attributes: { ...chat, 'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.output_tokens': 5 } },
  ];
}

describe('calibrate on foreign error types', () => {
  it('fits rate limits and timeouts apart from other errors, and keeps the recorded type', async () => {
    const traces = writeForeignTraces(join(folder, 'errors.jsonl'), 'extract', FAILURES.flatMap((_, c) => call(c)));
    const db = join(folder, 'errors.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

    expect(rowsOf(db, "SELECT error_type, json_extract(attributes, '$.\"patternbench.import.error_type\"') AS original FROM spans WHERE status = 'error' ORDER BY start_ms").map((row) => [row['error_type'], row['original']])).toEqual(
      FAILURES.map((failure) => [failure.kind, failure.attributes?.['error.type'] ?? failure.events?.[0]?.attributes['exception.type'] ?? null]),
    );
    // Each agent call made one retry: attempts 2 of 2 model attempts.
    expect(rowsOf(db, "SELECT spans, attempts, retries FROM span_metrics WHERE operation = 'invoke_agent'")).toEqual([{ spans: 10, attempts: 20, retries: 10 }]);

    const io = captureIo();
    expect(await main(['calibrate', db], io)).toBe(0);
    const fitted = parse(io.stdout.join('\n')) as { agents: Record<string, { faults: Record<string, number> }> };
    // 20 attempts: 4 rate limits, 3 timeouts, 3 other errors.
    expect(fitted.agents['extractor']?.faults).toEqual({ error: 0.15, timeout: 0.15, rateLimit: 0.2 });
  });
});
