/**
 * `SqliteWriterSink`: the SQLite store with its writes on a second thread. The simulation thread
 * turns records into rows (the same rows `SqliteSink` writes) and posts them in batches to a
 * worker that owns the connection and runs one transaction per batch, so simulating and writing
 * overlap on two cores. Rows travel column-encoded (`reports/store/row-encoder.ts`), not as arrays. At
 * most `maxInFlight` batches are queued; beyond that `backlogged()` is true and the runner awaits
 * `ready()`, so memory stays bounded and nothing is dropped.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HarnessError } from '../../harness/kernel/errors.ts';
import type { AuxRecord, RunRecord, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import { AUX_COLUMNS, auxValues } from './aux-rows.ts';
import { columnKinds, Dictionary, type EncodedRows, RowEncoder } from './row-encoder.ts';
import { INDEX_DDL, openDatabase } from './schema.ts';
import type { RecordSink, RunEnd } from './sink.ts';
import {
  INSERT_RUN_SQL,
  pushSpanRow,
  pushWorkflowRow,
  ROWS_PER_STATEMENT,
  runValues,
  endRunValues,
  INSERT_STRING_SQL,
  SPAN_ROW_COLUMNS,
  storedStrings,
  WORKFLOW_COLUMNS,
  type SqlValue,
  UPDATE_RUN_SQL,
} from './sqlite-sink.ts';

/** Options of `SqliteWriterSink.open`. */
export interface SqliteWriterSinkOptions {
  /** Delete an existing file (and its `-wal`/`-shm`) first. Default `false`: append to it. */
  readonly overwrite?: boolean;
  /** Span + workflow rows per batch posted to the writer. Default 2,000. */
  readonly batchRows?: number;
  /** Batches queued or being written before `backlogged()` turns true. Default 4. */
  readonly maxInFlight?: number;
  /** As `SqliteSinkOptions.indexes`: `false` builds no secondary indexes at `close()`. Default `true`. */
  readonly indexes?: boolean;
}

/**
 * Rows per batch on the wall clock (`--realtime`): each batch is structured-cloned to the writer on
 * the event loop that fires the timers, so smaller batches keep the harness's scheduling lag down
 * (p99 3.7 ms against 4.8 ms with 2,000 rows, 10,000 calls in flight, measured 2026-11-26).
 */
export const REALTIME_BATCH_ROWS = 200;

interface Reply {
  readonly seq: number;
  readonly error: { readonly message: string; readonly code: string | null } | null;
}

export class SqliteWriterSink implements RecordSink {
  readonly #worker: Worker;
  readonly #batchRows: number;
  readonly #maxInFlight: number;
  /** Ids of span strings: the file's `strings` table, which the writer extends with each batch's new ones. */
  readonly #strings: Dictionary;
  /** Ids of the other tables' repeated strings, for transport only. */
  readonly #transport = new Dictionary();
  readonly #encoders = new Map<string, RowEncoder>();
  readonly #spans: RowEncoder;
  readonly #workflows: RowEncoder;
  /** One row's values, reused: `pushSpanRow`/`pushWorkflowRow` fill it, an encoder copies it. */
  readonly #row: SqlValue[] = [];
  #rows = 0;
  #seq = 0;
  #acknowledged = 0;
  #waiters: { readonly seq: number; readonly resolve: () => void }[] = [];
  #failure: HarnessError | null = null;
  #closed = false;

  private constructor(path: string, batchRows: number, maxInFlight: number, strings: [number, string][], indexes: boolean) {
    this.#batchRows = batchRows;
    this.#maxInFlight = maxInFlight;
    this.#strings = new Dictionary(strings);
    this.#spans = this.#encoder('span_rows', SPAN_ROW_COLUMNS);
    this.#workflows = this.#encoder('workflows', WORKFLOW_COLUMNS);
    this.#worker = new Worker(new URL('./sqlite-writer-worker.js', import.meta.url), {
      workerData: {
        path,
        rowsPerStatement: ROWS_PER_STATEMENT,
        spanColumns: SPAN_ROW_COLUMNS,
        insertStringSql: INSERT_STRING_SQL,
        workflowColumns: WORKFLOW_COLUMNS,
        insertRunSql: INSERT_RUN_SQL,
        updateRunSql: UPDATE_RUN_SQL,
        indexDdl: indexes ? INDEX_DDL : null,
        auxColumns: AUX_COLUMNS,
        kinds: Object.fromEntries(
          [['span_rows', SPAN_ROW_COLUMNS], ['workflows', WORKFLOW_COLUMNS], ...Object.entries(AUX_COLUMNS)].map(([table, columns]) => [
            table,
            columnKinds(table as string, columns as readonly string[]),
          ]),
        ),
      },
    });
    this.#worker.on('message', (reply: Reply) => this.#onReply(reply));
    this.#worker.on('error', (error: Error) => this.#fail(`the SQLite writer thread failed: ${error.message}`));
  }

  /**
   * Opens (creating it and its folder) or appends to the results file at `path`; the schema is
   * created or checked here, synchronously (`SCHEMA_MISMATCH`), before the writer thread starts.
   */
  static open(path: string, options: SqliteWriterSinkOptions = {}): SqliteWriterSink {
    const batchRows = options.batchRows ?? 2000;
    const maxInFlight = options.maxInFlight ?? 4;
    if (!Number.isInteger(batchRows) || batchRows < 1 || !Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new HarnessError('USAGE', `batchRows and maxInFlight must be positive integers, got ${batchRows} and ${maxInFlight}`);
    }
    mkdirSync(dirname(path), { recursive: true });
    if (options.overwrite === true) {
      for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    }
    const db = openDatabase(path);
    const strings = storedStrings(db);
    db.close();
    return new SqliteWriterSink(path, batchRows, maxInFlight, strings, options.indexes ?? true);
  }

  beginRun(run: RunRecord): void {
    this.#post({ type: 'run', values: runValues(run) });
  }

  writeAux(record: AuxRecord): void {
    if (this.#closed) this.#assertOpen();
    const encoder = this.#encoders.get(record.table) ?? this.#encoder(record.table, AUX_COLUMNS[record.table]);
    encoder.add(auxValues(record));
    if (++this.#rows >= this.#batchRows) this.#sendRows();
  }

  writeSpan(span: SpanRecord): void {
    if (this.#closed) this.#assertOpen();
    const row = this.#row;
    row.length = 0;
    pushSpanRow(row, span);
    this.#spans.add(row);
    if (++this.#rows >= this.#batchRows) this.#sendRows();
  }

  writeWorkflow(workflow: WorkflowRecord): void {
    if (this.#closed) this.#assertOpen();
    const row = this.#row;
    row.length = 0;
    pushWorkflowRow(row, workflow);
    this.#workflows.add(row);
    if (++this.#rows >= this.#batchRows) this.#sendRows();
  }

  endRun(runId: string, end: RunEnd): void {
    this.#sendRows();
    this.#post({ type: 'end', values: endRunValues(runId, end) });
  }

  backlogged(): boolean {
    return this.#seq - this.#acknowledged >= this.#maxInFlight;
  }

  /** Resolves once fewer than `maxInFlight` batches are queued. */
  ready(): Promise<void> {
    return this.#until(this.#seq - this.#maxInFlight + 1);
  }

  /** Resolves once every record written so far is in the file; rejects if the writer failed. */
  async flush(): Promise<void> {
    this.#assertOpen();
    this.#sendRows();
    await this.#until(this.#seq);
    this.#throwIfFailed();
  }

  /** Flushes, builds the indexes, closes the file and stops the writer thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#sendRows();
    this.#post({ type: 'close' });
    this.#closed = true;
    await this.#until(this.#seq);
    await this.#worker.terminate();
    this.#throwIfFailed();
  }

  #encoder(table: string, columns: readonly string[]): RowEncoder {
    const encoder = new RowEncoder(table, columnKinds(table, columns), table === 'span_rows' ? this.#strings : this.#transport);
    this.#encoders.set(table, encoder);
    return encoder;
  }

  /** Posts the buffered rows as one batch: the writer inserts them in one transaction. */
  #sendRows(): void {
    if (this.#rows === 0) return;
    const tables: EncodedRows[] = [];
    for (const encoder of this.#encoders.values()) {
      const encoded = encoder.take();
      if (encoded !== null) tables.push(encoded);
    }
    this.#rows = 0;
    const message = { type: 'rows', strings: this.#strings.takeUnsent(), dictionary: this.#transport.takeUnsent().map(([, value]) => value), tables };
    this.#post(message, tables.map((encoded) => encoded.numbers.buffer));
  }

  #post(message: { readonly type: string } & Record<string, unknown>, transfer: ArrayBuffer[] = []): void {
    this.#assertOpen();
    this.#throwIfFailed();
    this.#worker.postMessage({ ...message, seq: ++this.#seq }, transfer);
  }

  #until(seq: number): Promise<void> {
    if (this.#acknowledged >= seq || this.#failure !== null) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }

  #onReply(reply: Reply): void {
    this.#acknowledged = reply.seq;
    if (reply.error !== null && this.#failure === null) {
      this.#failure = new HarnessError('SINK_FAILED', `writing the results file failed: ${reply.error.message}`);
    }
    this.#release();
  }

  #fail(message: string): void {
    this.#failure ??= new HarnessError('SINK_FAILED', message);
    this.#release();
  }

  #release(): void {
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (this.#failure !== null || waiter.seq <= this.#acknowledged) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== null) throw this.#failure;
  }

  #assertOpen(): void {
    if (this.#closed) throw new HarnessError('SINK_CLOSED', 'the SQLite sink is closed; it accepts no more records');
  }
}
