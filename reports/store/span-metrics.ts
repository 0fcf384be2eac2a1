/**
 * `span_metrics`: exact aggregates of a run's spans per operation × agent × model — spans, errors
 * by type, attempts, retries, fallbacks, tokens, cost and an HDR histogram of their durations —
 * what the OpenTelemetry Collector's span-metrics connector keeps. `SpanMetricsFold` folds each
 * span as it ends (the run's metrics, `import`); `readSpanMetrics` is how every report figure
 * that once scanned the spans reads them; `mergeSpanMetrics` adds rows of one key exactly
 * (`merge`). So the figures are the same whether every trace is kept or not.
 *
 * Files written before schema 7 have no such table, and a run that never ended (its process was
 * killed: `runs.status` `running`) wrote no rows: for those runs `readSpanMetrics` folds the
 * stored spans with the same fold when it reads them (slower, as scanning the spans always was).
 */
import { DurationHistogram } from '../../harness/kernel/hdr.ts';
import { groupBy } from '../../harness/kernel/keyed.ts';
import type { AttributeValue, SpanMetricsRecord, SpanRecord } from '../../harness/kernel/records.ts';
import type { Db } from './schema.ts';

/** Columns of `span_metrics`, in the order `spanMetricsValues` returns values. */
export const SPAN_METRICS_COLUMNS: readonly string[] = [
  'run_id', 'operation', 'agent_name', 'request_model', 'spans', 'errors', 'error_types', 'attempts', 'retries', 'fallbacks',
  'input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens', 'cost_usd',
  'duration_sum_ms', 'duration_min_ms', 'duration_max_ms', 'duration_encoded',
];

/** The row of `record`, in `SPAN_METRICS_COLUMNS` order. */
export function spanMetricsValues(m: SpanMetricsRecord): (string | number | null)[] {
  return [
    m.runId, m.operation, m.agentName, m.requestModel, m.spans, m.errors, m.errorTypes, m.attempts, m.retries, m.fallbacks,
    m.inputTokens, m.outputTokens, m.cachedTokens, m.reasoningTokens, m.costUsd,
    m.durationSumMs, m.durationMinMs, m.durationMaxMs, m.durationEncoded,
  ];
}

/** The `error_types` key of a failed span without an `error.type` (OpenTelemetry's fallback value). */
export const OTHER_ERROR_TYPE = '_OTHER';

const hasTable = (db: Db, table: string): boolean => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined;

/** An attribute's value as a span or a stored row gives it (absent: undefined or null). */
type Value = AttributeValue | null | undefined;

const text = (value: Value): string => (typeof value === 'string' ? value : '');

/** What the spans of one key added up to so far. */
class SpanAggregate {
  spans = 0;
  errors = 0;
  /** Failed spans by error type; null until the first. */
  errorTypes: Map<string, number> | null = null;
  attempts = 0;
  retries = 0;
  fallbacks = 0;
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  reasoningTokens = 0;
  costUsd = 0;
  readonly durations = DurationHistogram.create();

  constructor(
    readonly operation: string,
    readonly agentName: string,
    readonly requestModel: string,
  ) {}

  /** Adds one span; a token count, cost or attempt count that is not a number counts as absent. */
  fold(
    error: boolean, errorType: Value, durationMs: number, inputTokens: Value, outputTokens: Value, cachedTokens: Value, reasoningTokens: Value,
    costUsd: Value, attempts: Value, fallback: boolean,
  ): void {
    this.spans += 1;
    if (error) this.#error(errorType);
    if (typeof inputTokens === 'number') this.inputTokens += inputTokens;
    if (typeof outputTokens === 'number') this.outputTokens += outputTokens;
    if (typeof cachedTokens === 'number') this.cachedTokens += cachedTokens;
    if (typeof reasoningTokens === 'number') this.reasoningTokens += reasoningTokens;
    if (typeof costUsd === 'number') this.costUsd += costUsd;
    if (typeof attempts === 'number') {
      this.attempts += attempts;
      if (attempts > 1) this.retries += attempts - 1;
    }
    if (fallback) this.fallbacks += 1;
    this.durations.record(durationMs);
  }

  #error(errorType: Value): void {
    this.errors += 1;
    const type = typeof errorType === 'string' ? errorType : OTHER_ERROR_TYPE;
    const types = (this.errorTypes ??= new Map());
    types.set(type, (types.get(type) ?? 0) + 1);
  }

  record(runId: string): SpanMetricsRecord {
    const types = [...(this.errorTypes ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      runId,
      operation: this.operation,
      agentName: this.agentName,
      requestModel: this.requestModel,
      spans: this.spans,
      errors: this.errors,
      errorTypes: JSON.stringify(Object.fromEntries(types)),
      attempts: this.attempts,
      retries: this.retries,
      fallbacks: this.fallbacks,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cachedTokens: this.cachedTokens,
      reasoningTokens: this.reasoningTokens,
      costUsd: this.costUsd,
      durationSumMs: this.durations.sumMs,
      durationMinMs: this.durations.minMs,
      durationMaxMs: this.durations.maxMs,
      durationEncoded: this.durations.encode(),
    };
  }
}

/**
 * Folds spans into one run's `span_metrics` rows. About 0.2 µs a span: three map lookups, a
 * dozen attribute reads and an HDR count (`DurationHistogram.record`). Memory grows with the keys
 * (a run's operations × agents × models), not with the spans.
 */
export class SpanMetricsFold {
  readonly #byOperation = new Map<string, Map<string, Map<string, SpanAggregate>>>();

  /** Folds `span` (its GenAI attributes as the `spans` columns extract them: a value of another type counts as absent). */
  add(span: SpanRecord): void {
    const a = span.attributes;
    const aggregate = this.#aggregate(text(a['gen_ai.operation.name']), text(a['gen_ai.agent.name']), text(a['gen_ai.request.model']));
    aggregate.fold(
      span.status === 'error', a['error.type'], span.endMs - span.startMs, a['gen_ai.usage.input_tokens'], a['gen_ai.usage.output_tokens'],
      a['gen_ai.usage.cache_read.input_tokens'], a['gen_ai.usage.reasoning.output_tokens'], a['gen_ai.usage.cost.amount'], a['patternbench.attempts'],
      a['patternbench.fallback'] !== undefined,
    );
  }

  /** Folds one span given by its parts (a stored span read back); non-numbers count as absent. */
  addParts(
    operation: string, agentName: string, requestModel: string, error: boolean, errorType: Value, durationMs: number, inputTokens: Value,
    outputTokens: Value, cachedTokens: Value, reasoningTokens: Value, costUsd: Value, attempts: Value, fallback: boolean,
  ): void {
    this.#aggregate(operation, agentName, requestModel).fold(error, errorType, durationMs, inputTokens, outputTokens, cachedTokens, reasoningTokens, costUsd, attempts, fallback);
  }

  #aggregate(operation: string, agentName: string, requestModel: string): SpanAggregate {
    let byAgent = this.#byOperation.get(operation);
    if (byAgent === undefined) this.#byOperation.set(operation, (byAgent = new Map()));
    let byModel = byAgent.get(agentName);
    if (byModel === undefined) byAgent.set(agentName, (byModel = new Map()));
    let aggregate = byModel.get(requestModel);
    if (aggregate === undefined) byModel.set(requestModel, (aggregate = new SpanAggregate(operation, agentName, requestModel)));
    return aggregate;
  }

  /** The rows of run `runId`, ordered by operation, agent and model (code-unit order, as SQLite's BINARY collation orders ASCII). */
  records(runId: string): SpanMetricsRecord[] {
    const aggregates = [...this.#byOperation.values()].flatMap((byAgent) => [...byAgent.values()].flatMap((byModel) => [...byModel.values()]));
    return aggregates.sort(compareKeys).map((aggregate) => aggregate.record(runId));
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
function compareKeys(a: { operation: string; agentName: string; requestModel: string }, b: { operation: string; agentName: string; requestModel: string }): number {
  return compareText(a.operation, b.operation) || compareText(a.agentName, b.agentName) || compareText(a.requestModel, b.requestModel);
}

/** Which rows `readSpanMetrics` returns. */
export interface SpanMetricsQuery {
  /** Only the runs of this scenario; default every run. */
  readonly scenario?: string;
  /** Only these operations; default every operation. */
  readonly operations?: readonly string[];
}

const RECORD_COLUMNS = `run_id AS runId, operation, agent_name AS agentName, request_model AS requestModel, spans, errors,
  error_types AS errorTypes, attempts, retries, fallbacks, input_tokens AS inputTokens, output_tokens AS outputTokens,
  cached_tokens AS cachedTokens, reasoning_tokens AS reasoningTokens, cost_usd AS costUsd, duration_sum_ms AS durationSumMs,
  duration_min_ms AS durationMinMs, duration_max_ms AS durationMaxMs, duration_encoded AS durationEncoded`;

/** Runs of `query`, each with whether it wrote `span_metrics` rows (it ended: completed or interrupted). */
function queriedRuns(db: Db, query: SpanMetricsQuery, table: boolean): { runId: string; ended: boolean }[] {
  const rows = db
    .prepare(`SELECT run_id AS runId, status IN ('completed', 'interrupted') AS ended FROM runs ${query.scenario === undefined ? '' : 'WHERE scenario = ?'} ORDER BY run_id`)
    .all(...(query.scenario === undefined ? [] : [query.scenario])) as { runId: string; ended: number }[];
  return rows.map((row) => ({ runId: row.runId, ended: table && row.ended === 1 }));
}

/**
 * The `span_metrics` rows of `query`, by run id, operation, agent and model. Runs without rows of
 * their own — every run of a file of schema 6 or older, or a run whose process was killed — get the
 * rows their stored spans fold to.
 */
export function readSpanMetrics(db: Db, query: SpanMetricsQuery = {}): SpanMetricsRecord[] {
  const runs = queriedRuns(db, query, hasTable(db, 'span_metrics'));
  // A span without an operation is stored under '' (NULL in `spans`).
  const operations = query.operations === undefined ? '' : " AND coalesce(operation, '') IN (SELECT value FROM json_each(@operations))";
  const params = { runs: '', operations: JSON.stringify(query.operations ?? []) };
  const stored = runs.filter((run) => run.ended).map((run) => run.runId);
  const records: SpanMetricsRecord[] = [];
  if (stored.length > 0) {
    const sql = `SELECT ${RECORD_COLUMNS} FROM span_metrics WHERE run_id IN (SELECT value FROM json_each(@runs))${operations}`;
    records.push(...(db.prepare(sql).all({ ...params, runs: JSON.stringify(stored) }) as SpanMetricsRecord[]));
  }
  const folded = runs.filter((run) => !run.ended).map((run) => run.runId);
  if (folded.length > 0) records.push(...foldStoredSpans(db, folded, operations, params));
  return records.sort((a, b) => compareText(a.runId, b.runId) || compareKeys(a, b));
}

/** Stored span attributes that `SpanMetricsFold` reads beyond the `spans` columns. */
const EXTRA_ATTRIBUTES = ['patternbench.attempts', 'patternbench.fallback', 'gen_ai.usage.reasoning.output_tokens'] as const;

interface StoredSpan {
  run_id: string;
  operation: string | null;
  agent_name: string | null;
  request_model: string | null;
  status: string;
  error_type: string | null;
  duration: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  cost_usd: number | null;
  /** The `attributes` JSON when it may hold one of `EXTRA_ATTRIBUTES`, else null (most spans: no parse). */
  extra: string | null;
}

/** The rows the stored spans of `runIds` fold to (in any order). */
function foldStoredSpans(db: Db, runIds: readonly string[], operations: string, params: { operations: string }): SpanMetricsRecord[] {
  const extra = EXTRA_ATTRIBUTES.map((name) => `instr(attributes, '"${name}"') > 0`).join(' OR ');
  const sql = `SELECT run_id, operation, agent_name, request_model, status, error_type, end_ms - start_ms AS duration,
    input_tokens, output_tokens, cached_tokens, cost_usd, CASE WHEN ${extra} THEN attributes END AS extra
    FROM spans WHERE run_id IN (SELECT value FROM json_each(@runs))${operations}`;
  const folds = new Map(runIds.map((runId) => [runId, new SpanMetricsFold()]));
  for (const span of db.prepare(sql).iterate({ ...params, runs: JSON.stringify(runIds) }) as IterableIterator<StoredSpan>) {
    const attributes = span.extra === null ? {} : (JSON.parse(span.extra) as Record<string, AttributeValue | undefined>);
    folds.get(span.run_id)?.addParts(
      span.operation ?? '', span.agent_name ?? '', span.request_model ?? '', span.status === 'error', span.error_type, span.duration,
      span.input_tokens, span.output_tokens, span.cached_tokens, attributes['gen_ai.usage.reasoning.output_tokens'], span.cost_usd,
      attributes['patternbench.attempts'], attributes['patternbench.fallback'] !== undefined,
    );
  }
  return [...folds].flatMap(([runId, fold]) => fold.records(runId));
}

/** The durations of `records` in one histogram (exact: HDR histograms add). */
export function mergedDurations(records: readonly SpanMetricsRecord[]): DurationHistogram {
  const merged = DurationHistogram.create();
  for (const record of records) if (record.spans > 0) merged.add(DurationHistogram.decode(record.durationEncoded));
  return merged;
}

/** `errorTypes` of several rows added up. */
function addErrorTypes(records: readonly SpanMetricsRecord[]): string {
  const totals = new Map<string, number>();
  for (const record of records) {
    for (const [type, count] of Object.entries(JSON.parse(record.errorTypes) as Record<string, number>)) totals.set(type, (totals.get(type) ?? 0) + count);
  }
  return JSON.stringify(Object.fromEntries([...totals].sort(([a], [b]) => compareText(a, b))));
}

const extreme = (values: readonly (number | null)[], pick: (...numbers: number[]) => number): number | null => {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : pick(...present);
};

/**
 * Rows of the same run and key (shards of one run, from several files) as one: counts, tokens,
 * cost and duration sums added, errors by type added, min and max kept, the HDR histograms added
 * (every quantile is the one the unsharded run recorded). Returns one row per key, in key order.
 */
export function mergeSpanMetrics(records: readonly SpanMetricsRecord[]): SpanMetricsRecord[] {
  const groups = groupBy(records, (record) => JSON.stringify([record.runId, record.operation, record.agentName, record.requestModel]));
  const sum = (group: readonly SpanMetricsRecord[], field: (record: SpanMetricsRecord) => number): number => group.reduce((total, record) => total + field(record), 0);
  return [...groups.values()]
    .map((group): SpanMetricsRecord => {
      const first = group[0] as SpanMetricsRecord;
      if (group.length === 1) return first;
      return {
        ...first,
        spans: sum(group, (r) => r.spans),
        errors: sum(group, (r) => r.errors),
        errorTypes: addErrorTypes(group),
        attempts: sum(group, (r) => r.attempts),
        retries: sum(group, (r) => r.retries),
        fallbacks: sum(group, (r) => r.fallbacks),
        inputTokens: sum(group, (r) => r.inputTokens),
        outputTokens: sum(group, (r) => r.outputTokens),
        cachedTokens: sum(group, (r) => r.cachedTokens),
        reasoningTokens: sum(group, (r) => r.reasoningTokens),
        costUsd: sum(group, (r) => r.costUsd),
        durationSumMs: sum(group, (r) => r.durationSumMs),
        durationMinMs: extreme(group.map((r) => r.durationMinMs), Math.min),
        durationMaxMs: extreme(group.map((r) => r.durationMaxMs), Math.max),
        durationEncoded: mergedDurations(group).encode(),
      };
    })
    .sort((a, b) => compareText(a.runId, b.runId) || compareKeys(a, b));
}

/** Every `span_metrics` row of the runs `runIds` of `db` (a file of this version), as stored. */
export function storedSpanMetrics(db: Db, runIds: readonly string[]): SpanMetricsRecord[] {
  if (!hasTable(db, 'span_metrics')) return [];
  return db.prepare(`SELECT ${RECORD_COLUMNS} FROM span_metrics WHERE run_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(runIds)) as SpanMetricsRecord[];
}
