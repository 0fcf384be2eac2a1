/**
 * `SqliteSink`: the embedded store. Rows are buffered and written in batched transactions through
 * prepared multi-row INSERTs; secondary indexes are built once, at `close()`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { HarnessError } from '../../harness/kernel/errors.ts';
import type { Attributes, AuxRecord, RunRecord, SpanEvent, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import { AUX_INSERT_SQL, auxValues } from './aux-rows.ts';
import { Dictionary } from './row-encoder.ts';
import { createIndexes, openDatabase, SPAN_STRING_COLUMNS, type Db } from './schema.ts';
import type { RecordSink, RunEnd } from './sink.ts';

export { openDatabase } from './schema.ts';

/** Options of `SqliteSink.open`. */
export interface SqliteSinkOptions {
  /** Delete an existing file (and its `-wal`/`-shm`) first. Default `false`: append to it. */
  readonly overwrite?: boolean;
  /** Buffered span + workflow rows that trigger a write transaction. Default 5,000. */
  readonly batchSize?: number;
  /**
   * Build the secondary indexes (`INDEX_DDL`) and run `PRAGMA optimize` at `close()`. Default
   * `true`; `false` for a temporary file that is only ever copied whole into another (a slice of a
   * run, joined by `merge`, which builds the joined file's indexes).
   */
  readonly indexes?: boolean;
}

/** Default of `SqliteSinkOptions.batchSize`. */
export const DEFAULT_BATCH_SIZE = 5000;

/** A row of the `spans` table as better-sqlite3 returns it. */
export interface SpanRow {
  readonly run_id: string;
  readonly trace_id: string;
  readonly span_id: string;
  readonly parent_span_id: string;
  readonly workflow_id: number;
  readonly name: string;
  readonly kind: string;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly duration_ms: number;
  readonly status: string;
  readonly status_message: string;
  readonly operation: string | null;
  readonly agent_name: string | null;
  readonly agent_id: string | null;
  readonly provider: string | null;
  readonly request_model: string | null;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly cached_tokens: number | null;
  readonly cost_usd: number | null;
  readonly cost_currency: string | null;
  readonly cost_source: string | null;
  readonly error_type: string | null;
  readonly session_id: string | null;
  readonly attributes: string;
  readonly events: string;
}

/** A row of the `workflows` table as better-sqlite3 returns it. */
export interface WorkflowRow {
  readonly run_id: string;
  readonly workflow_id: number;
  readonly case_id: string;
  readonly repeat: number;
  readonly status: string;
  readonly intended_start_ms: number;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly latency_ms: number;
  readonly service_ms: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cached_tokens: number;
  readonly cost_usd: number;
  readonly agent_calls: number;
  readonly model_attempts: number;
  readonly correct: number | null;
  readonly score: number | null;
  readonly error_type: string | null;
  readonly failed_step: string | null;
  readonly output: string | null;
  readonly trace_id: string;
  readonly facts: string | null;
  readonly expected: string | null;
}

/**
 * Span attributes stored in their own `spans` column, in column order: [column, attribute, type].
 * An attribute whose value has another type stays in the `attributes` JSON instead.
 */
export const SPAN_ATTRIBUTE_COLUMNS = [
  ['operation', 'gen_ai.operation.name', 'string'],
  ['agent_name', 'gen_ai.agent.name', 'string'],
  ['agent_id', 'gen_ai.agent.id', 'string'],
  ['provider', 'gen_ai.provider.name', 'string'],
  ['request_model', 'gen_ai.request.model', 'string'],
  ['input_tokens', 'gen_ai.usage.input_tokens', 'number'],
  ['output_tokens', 'gen_ai.usage.output_tokens', 'number'],
  ['cached_tokens', 'gen_ai.usage.cache_read.input_tokens', 'number'],
  // Only model attempts (`chat` spans) carry a cost, so a sum over any spans counts each once.
  ['cost_usd', 'gen_ai.usage.cost.amount', 'number'],
  ['cost_currency', 'gen_ai.usage.cost.currency', 'string'],
  ['cost_source', 'gen_ai.usage.cost.source', 'string'],
  ['error_type', 'error.type', 'string'],
  ['session_id', 'session.id', 'string'],
] as const;

/** Columns of `spans`, in the order `pushSpanRow` appends values. */
export const SPAN_COLUMNS: readonly string[] = [
  'run_id', 'trace_id', 'span_id', 'parent_span_id', 'workflow_id', 'name', 'kind', 'start_ms', 'end_ms',
  'status', 'status_message', ...SPAN_ATTRIBUTE_COLUMNS.map(([column]) => column),
  'attributes', 'events',
];
/** Columns of `span_rows`, in the order `pushSpanRow` appends values (`run` holds the run id's `strings` id). */
export const SPAN_ROW_COLUMNS: readonly string[] = SPAN_COLUMNS.map((column) => (column === 'run_id' ? 'run' : column));
/** Positions, in a `pushSpanRow` row, of the values `span_rows` stores as `strings` ids. */
const SPAN_STRING_POSITIONS: readonly number[] = SPAN_STRING_COLUMNS.map(([, column]) => SPAN_COLUMNS.indexOf(column));

/** The `strings` table of `db`, as (id, string) pairs: the seed of a sink's `Dictionary`. */
export function storedStrings(db: Db): [number, string][] {
  return db.prepare('SELECT id, value FROM strings').raw().all() as [number, string][];
}

/** Inserts a `strings` row: id, value. */
export const INSERT_STRING_SQL = 'INSERT INTO strings (id, value) VALUES (?, ?)';

/**
 * The `strings` table of a file open for writing: turns the text of a `span_rows` row into ids,
 * inserting each new string at once, so its row precedes every span row that refers to it (a crash
 * between them leaves an unused string).
 */
export class SpanStrings {
  readonly #ids: Dictionary;
  readonly #insert: Database.Statement;

  constructor(db: Db) {
    this.#ids = new Dictionary(storedStrings(db));
    this.#insert = db.prepare(INSERT_STRING_SQL);
  }

  /**
   * Replaces each non-null value at `SPAN_STRING_POSITIONS` of the row starting at `row[start]`
   * by the id of its text: the value itself, or what `text` makes of it.
   */
  encode(row: unknown[], start: number, text?: (value: unknown) => string): void {
    for (const position of SPAN_STRING_POSITIONS) {
      const value = row[start + position];
      if (value !== null) row[start + position] = this.#ids.id(text === undefined ? (value as string) : text(value));
    }
    if (this.#ids.hasUnsent) for (const [id, value] of this.#ids.takeUnsent()) this.#insert.run(id, value);
  }
}

/** Columns of `workflows`, in the order `pushWorkflowRow` appends values. */
export const WORKFLOW_COLUMNS: readonly string[] = [
  'run_id', 'workflow_id', 'case_id', 'repeat', 'status', 'intended_start_ms', 'start_ms', 'end_ms',
  'latency_ms', 'service_ms', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd', 'agent_calls',
  'model_attempts', 'correct', 'score', 'error_type', 'failed_step', 'output', 'trace_id', 'facts', 'expected',
];

/** Inserts a `runs` row (status `running`) from the RunRecord's fields in order. */
export const INSERT_RUN_SQL = `INSERT INTO runs (run_id, scenario, pattern, variant, seed, epoch_ms, config, started_at, clock, load, shard, status)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')`;

/** The values `INSERT_RUN_SQL` binds, in order. */
export function runValues(run: RunRecord): SqlValue[] {
  return [run.runId, run.scenario, run.pattern, run.variant, run.seed, run.epochMs, run.config, run.startedAt, run.clock ?? 'virtual', run.load ?? '{}', run.shard ?? ''];
}
/** Records how a run ended: status, finished_at, virtual_end_ms, audit_rows, audit_head, run_id (`endRunValues`). */
export const UPDATE_RUN_SQL = 'UPDATE runs SET status = ?, finished_at = ?, virtual_end_ms = ?, audit_rows = ?, audit_head = ? WHERE run_id = ?';

/** The values `UPDATE_RUN_SQL` binds, in order. */
export function endRunValues(runId: string, end: RunEnd): SqlValue[] {
  return [end.status, end.finishedAt, end.virtualEndMs, end.audit?.rows ?? null, end.audit?.hash ?? null, runId];
}

/** Rows per multi-row INSERT statement (SQLite allows 32,766 bound parameters). */
export const ROWS_PER_STATEMENT = 200;

/** A value better-sqlite3 binds: the parameters of one row. */
export type SqlValue = string | number | null;

/**
 * Appends the `spans` row of `span` to `out`, in column order. Written for speed: one pass over
 * the attributes, one `JSON.stringify` for those not extracted into columns.
 */
export function pushSpanRow(out: SqlValue[], span: SpanRecord): void {
  let operation: SqlValue = null;
  let agentName: SqlValue = null;
  let agentId: SqlValue = null;
  let provider: SqlValue = null;
  let requestModel: SqlValue = null;
  let inputTokens: SqlValue = null;
  let outputTokens: SqlValue = null;
  let cachedTokens: SqlValue = null;
  let costUsd: SqlValue = null;
  let costCurrency: SqlValue = null;
  let costSource: SqlValue = null;
  let errorType: SqlValue = null;
  let sessionId: SqlValue = null;
  let rest: Record<string, unknown> | null = null;
  const attributes = span.attributes;
  for (const key in attributes) {
    const value = attributes[key] as string | number | boolean;
    const type = typeof value;
    if (type === 'string') {
      switch (key) {
        case 'gen_ai.operation.name': operation = value as string; continue;
        case 'gen_ai.agent.name': agentName = value as string; continue;
        case 'gen_ai.agent.id': agentId = value as string; continue;
        case 'gen_ai.provider.name': provider = value as string; continue;
        case 'gen_ai.request.model': requestModel = value as string; continue;
        case 'gen_ai.usage.cost.currency': costCurrency = value as string; continue;
        case 'gen_ai.usage.cost.source': costSource = value as string; continue;
        case 'error.type': errorType = value as string; continue;
        case 'session.id': sessionId = value as string; continue;
      }
    } else if (type === 'number') {
      switch (key) {
        case 'gen_ai.usage.input_tokens': inputTokens = value as number; continue;
        case 'gen_ai.usage.output_tokens': outputTokens = value as number; continue;
        case 'gen_ai.usage.cache_read.input_tokens': cachedTokens = value as number; continue;
        case 'gen_ai.usage.cost.amount': costUsd = value as number; continue;
      }
    }
    (rest ??= {})[key] = value;
  }
  out.push(
    span.runId, span.traceId, span.spanId, span.parentSpanId, span.workflowId, span.name, span.kind,
    span.startMs, span.endMs, span.status, span.statusMessage,
    operation, agentName, agentId, provider, requestModel, inputTokens, outputTokens, cachedTokens, costUsd,
    costCurrency, costSource, errorType, sessionId,
    rest === null ? '{}' : JSON.stringify(rest),
    span.events.length === 0 ? '[]' : JSON.stringify(span.events),
  );
}

/** Rebuilds the `SpanRecord` a `spans` row was written from (extracted columns merged back). */
export function spanRowToRecord(row: SpanRow): SpanRecord {
  const attributes = JSON.parse(row.attributes) as Record<string, string | number | boolean>;
  const source = row as unknown as Record<string, SqlValue>;
  for (const [column, attribute] of SPAN_ATTRIBUTE_COLUMNS) {
    const value = source[column];
    if (value !== null && value !== undefined) attributes[attribute] = value;
  }
  return {
    runId: row.run_id,
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    workflowId: row.workflow_id,
    name: row.name,
    kind: row.kind as SpanRecord['kind'],
    startMs: row.start_ms,
    endMs: row.end_ms,
    status: row.status as SpanRecord['status'],
    statusMessage: row.status_message,
    attributes: attributes satisfies Attributes,
    events: JSON.parse(row.events) as SpanEvent[],
  };
}

/** Appends the `workflows` row of `workflow` to `out`, in column order. */
export function pushWorkflowRow(out: SqlValue[], w: WorkflowRecord): void {
  out.push(
    w.runId, w.workflowId, w.caseId, w.repeat, w.status, w.intendedStartMs, w.startMs, w.endMs, w.latencyMs,
    w.serviceMs, w.inputTokens, w.outputTokens, w.cachedTokens, w.costUsd, w.agentCalls, w.modelAttempts,
    w.correct === null ? null : w.correct ? 1 : 0, w.score, w.errorType, w.failedStep, w.output, w.traceId, w.facts, w.expected,
  );
}

/** Rebuilds the `WorkflowRecord` a `workflows` row was written from. */
export function workflowRowToRecord(row: WorkflowRow): WorkflowRecord {
  return {
    runId: row.run_id,
    workflowId: row.workflow_id,
    caseId: row.case_id,
    repeat: row.repeat,
    status: row.status as WorkflowRecord['status'],
    intendedStartMs: row.intended_start_ms,
    startMs: row.start_ms,
    endMs: row.end_ms,
    latencyMs: row.latency_ms,
    serviceMs: row.service_ms,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedTokens: row.cached_tokens,
    costUsd: row.cost_usd,
    agentCalls: row.agent_calls,
    modelAttempts: row.model_attempts,
    correct: row.correct === null ? null : row.correct !== 0,
    score: row.score,
    errorType: row.error_type,
    failedStep: row.failed_step,
    output: row.output,
    traceId: row.trace_id,
    facts: row.facts,
    expected: row.expected,
  };
}

/**
 * Writes the rows of one table. Rows are appended, as flat parameters, to chunks of
 * `ROWS_PER_STATEMENT` rows; a full chunk is inserted by one multi-row statement with its values
 * spread as arguments (better-sqlite3 binds arguments faster than the elements of an array).
 */
class TableWriter {
  private readonly width: number;
  private readonly chunkLength: number;
  private readonly bulk: Database.Statement;
  private readonly single: Database.Statement;
  private full: SqlValue[][] = [];
  /** The chunk being filled: append one row with `pushSpanRow`/`pushWorkflowRow`, then `sealIfFull`. */
  current: SqlValue[] = [];

  constructor(db: Db, table: string, columns: readonly string[]) {
    this.width = columns.length;
    this.chunkLength = ROWS_PER_STATEMENT * this.width;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.bulk = db.prepare(head + Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', '));
    this.single = db.prepare(head + tuple);
  }

  sealIfFull(): void {
    if (this.current.length >= this.chunkLength) {
      this.full.push(this.current);
      this.current = [];
    }
  }

  /** Inserts the buffered rows; the caller holds the transaction (a failure keeps the buffer). */
  drain(): void {
    for (const chunk of this.full) this.bulk.run(...chunk);
    const rest = this.current;
    for (let offset = 0; offset < rest.length; offset += this.width) {
      this.single.run(...rest.slice(offset, offset + this.width));
    }
    this.full = [];
    this.current = [];
  }
}

/**
 * `RecordSink` writing one SQLite file (schema in `reports/store/SCHEMA.md`). `writeSpan` and
 * `writeWorkflow` convert the record to its row and append it to a buffer; when `batchSize` rows
 * are buffered they are written in one transaction, synchronously, so the sink is never
 * backlogged. `close()` flushes, builds the indexes, runs `PRAGMA optimize` and closes the file.
 */
export class SqliteSink implements RecordSink {
  /** The open connection, for queries while the sink is open. Closed by `close()`. */
  readonly db: Db;
  private readonly batchSize: number;
  private readonly spans: TableWriter;
  private readonly workflows: TableWriter;
  private readonly strings: SpanStrings;
  private readonly insertRun: Database.Statement;
  private readonly updateRun: Database.Statement;
  private readonly writeBuffered: () => void;
  private readonly auxInserts: Map<AuxRecord['table'], Database.Statement>;
  private aux: AuxRecord[] = [];
  private buffered = 0;
  private closed = false;

  private constructor(
    db: Db,
    batchSize: number,
    private readonly indexes: boolean,
  ) {
    this.db = db;
    this.batchSize = batchSize;
    this.spans = new TableWriter(db, 'span_rows', SPAN_ROW_COLUMNS);
    this.strings = new SpanStrings(db);
    this.workflows = new TableWriter(db, 'workflows', WORKFLOW_COLUMNS);
    this.insertRun = db.prepare(INSERT_RUN_SQL);
    this.updateRun = db.prepare(UPDATE_RUN_SQL);
    this.auxInserts = new Map(Object.entries(AUX_INSERT_SQL).map(([table, sql]) => [table as AuxRecord['table'], db.prepare(sql)]));
    this.writeBuffered = db.transaction(() => {
      this.spans.drain();
      this.workflows.drain();
      for (const record of this.aux) this.auxInserts.get(record.table)?.run(...auxValues(record));
      this.aux = [];
    });
  }

  /**
   * Opens the results file at `path`, creating it and its parent folder when missing. An existing
   * file is appended to after a schema check (`SCHEMA_MISMATCH`), or deleted first (with its
   * `-wal` and `-shm` files) when `overwrite` is set. `:memory:` opens a private in-memory database.
   */
  static open(path: string, options: SqliteSinkOptions = {}): SqliteSink {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new HarnessError('USAGE', `batchSize must be a positive integer, got ${batchSize}`);
    }
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      if (options.overwrite === true) {
        for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
      }
    }
    return new SqliteSink(openDatabase(path), batchSize, options.indexes ?? true);
  }

  /** Span and workflow rows buffered, not yet written. */
  get bufferedRows(): number {
    return this.buffered;
  }

  /** Inserts the run's row (status `running`) immediately. */
  beginRun(run: RunRecord): void {
    this.assertOpen();
    this.insertRun.run(...runValues(run));
  }

  writeAux(record: AuxRecord): void {
    this.assertOpen();
    this.aux.push(record);
    if (++this.buffered >= this.batchSize) this.writeNow();
  }

  writeSpan(span: SpanRecord): void {
    if (this.closed) this.assertOpen();
    const row = this.spans.current;
    const start = row.length;
    pushSpanRow(row, span);
    this.strings.encode(row, start);
    this.spans.sealIfFull();
    if (++this.buffered >= this.batchSize) this.writeNow();
  }

  writeWorkflow(workflow: WorkflowRecord): void {
    if (this.closed) this.assertOpen();
    pushWorkflowRow(this.workflows.current, workflow);
    this.workflows.sealIfFull();
    if (++this.buffered >= this.batchSize) this.writeNow();
  }

  /** Writes the buffered rows, then records how the run ended. `USAGE` for a run never begun. */
  endRun(runId: string, end: RunEnd): void {
    this.assertOpen();
    this.writeNow();
    const result = this.updateRun.run(...endRunValues(runId, end));
    if (result.changes === 0) throw new HarnessError('USAGE', `endRun: no run ${runId} in this database`);
  }

  /** Always false: batches are written synchronously as they fill. */
  backlogged(): boolean {
    return false;
  }

  /** Always ready: writes are synchronous. */
  ready(): Promise<void> {
    return Promise.resolve();
  }

  /** Writes the buffered rows in one transaction. */
  async flush(): Promise<void> {
    this.assertOpen();
    this.writeNow();
  }

  /**
   * Flushes, builds the indexes (`INDEX_DDL`) and runs `PRAGMA optimize` (unless opened without
   * `indexes`), and closes the file; the file is closed even when the final write fails. Closing
   * twice is a no-op.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.writeNow();
      if (this.indexes) {
        createIndexes(this.db);
        this.db.pragma('optimize');
      }
    } finally {
      this.db.close();
    }
  }

  private writeNow(): void {
    if (this.buffered === 0) return;
    this.writeBuffered();
    this.buffered = 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new HarnessError('SINK_CLOSED', 'the SQLite sink is closed; it accepts no more records');
  }
}
