/**
 * The SQLite schema of a patternbench results file: DDL, its version, and opening/verifying a file.
 * Every table and column is documented in `reports/store/SCHEMA.md`; change both together and bump
 * `SCHEMA_VERSION` whenever a column changes.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { HarnessError } from '../../harness/kernel/errors.ts';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** Version of the layout below; a file written with another version is refused (`SCHEMA_MISMATCH`). */
export const SCHEMA_VERSION = 7;

/**
 * Versions this release opens read-only (report, compare). Version 6 had no `span_metrics` table:
 * its readers fold the stored spans instead (`readSpanMetrics`), as they do for a run whose process
 * was killed before it could write its rows; its `workflows` was a rowid table (the same columns).
 * Version 5 had no `workflows.expected`
 * column (readers check for it: `hasColumn`) nor span `cost_currency` and `cost_source` columns
 * (no reader queries them), and its spans carried a cost on every level (each
 * `invoke_agent` and `invoke_workflow` span the total of its model attempts, as
 * `gen_ai.usage.cost`); version 6 prices model attempts (`chat` spans) only. Version 4 also
 * stored spans as a table with the columns of today's `spans` view, and a checkpoint's outcome as
 * one JSON column (read by resume only, which needs a writable file of this version).
 */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [4, 5, 6, 7];

/** Page size of new files: 16 KiB pages made bulk loads ~25 % faster than the 4 KiB default. */
export const PAGE_SIZE = 16384;

/** Value of `meta.tool` in every file patternbench writes. */
export const SCHEMA_TOOL = 'patternbench';

/** `span_rows` columns that hold the `strings` id of a `spans` column's text: [span_rows column, spans column]. */
export const SPAN_STRING_COLUMNS = [
  ['run', 'run_id'], ['name', 'name'], ['kind', 'kind'], ['status', 'status'], ['operation', 'operation'],
  ['agent_name', 'agent_name'], ['agent_id', 'agent_id'], ['provider', 'provider'], ['request_model', 'request_model'],
  ['cost_currency', 'cost_currency'], ['cost_source', 'cost_source'], ['error_type', 'error_type'],
] as const;

/** The `strings` row joined in for `span_rows` column `column`. */
const joined = (column: string): string => `${column}_text`;
const idOf = (column: string): string => `(SELECT id FROM strings WHERE value = NEW.${column})`;
const SPAN_ROW_COLUMN_LIST = `run, trace_id, span_id, parent_span_id, workflow_id, name, kind, start_ms, end_ms, status, status_message,
    operation, agent_name, agent_id, provider, request_model, input_tokens, output_tokens, cached_tokens, cost_usd, cost_currency,
    cost_source, error_type, session_id, attributes, events`;

/**
 * `spans`: a view over `span_rows` that joins the dictionary-encoded text columns back from
 * `strings`, so every query reads spans as one table with their GenAI attributes as columns (a
 * filter on a string column compares integers: as fast as on the old table, where correlated
 * subqueries were ~1.5× slower). Inserting into or deleting from it works too (through the
 * triggers), as it did when it was a table; the sinks write `span_rows` directly.
 */
const SPANS_VIEW_DDL = `CREATE VIEW IF NOT EXISTS spans AS SELECT
  ${joined('run')}.value AS run_id, s.trace_id, s.span_id, s.parent_span_id, s.workflow_id,
  ${joined('name')}.value AS name, ${joined('kind')}.value AS kind, s.start_ms, s.end_ms, s.end_ms - s.start_ms AS duration_ms,
  ${joined('status')}.value AS status, s.status_message, ${joined('operation')}.value AS operation,
  ${joined('agent_name')}.value AS agent_name, ${joined('agent_id')}.value AS agent_id, ${joined('provider')}.value AS provider,
  ${joined('request_model')}.value AS request_model, s.input_tokens, s.output_tokens, s.cached_tokens, s.cost_usd,
  ${joined('cost_currency')}.value AS cost_currency, ${joined('cost_source')}.value AS cost_source,
  ${joined('error_type')}.value AS error_type, s.session_id, s.attributes, s.events
FROM span_rows s
  ${SPAN_STRING_COLUMNS.map(([column]) => `LEFT JOIN strings ${joined(column)} ON ${joined(column)}.id = s.${column}`).join('\n  ')};
CREATE TRIGGER IF NOT EXISTS spans_insert INSTEAD OF INSERT ON spans BEGIN
  INSERT OR IGNORE INTO strings (value) SELECT value FROM (
    ${SPAN_STRING_COLUMNS.map(([, column], index) => `SELECT NEW.${column}${index === 0 ? ' AS value' : ''}`).join(' UNION ALL ')}
  ) WHERE value IS NOT NULL;
  INSERT INTO span_rows (${SPAN_ROW_COLUMN_LIST}) VALUES (
    ${idOf('run_id')}, NEW.trace_id, NEW.span_id, NEW.parent_span_id, NEW.workflow_id, ${idOf('name')}, ${idOf('kind')},
    NEW.start_ms, NEW.end_ms, ${idOf('status')}, NEW.status_message, ${idOf('operation')}, ${idOf('agent_name')},
    ${idOf('agent_id')}, ${idOf('provider')}, ${idOf('request_model')}, NEW.input_tokens, NEW.output_tokens,
    NEW.cached_tokens, NEW.cost_usd, ${idOf('cost_currency')}, ${idOf('cost_source')}, ${idOf('error_type')}, NEW.session_id,
    NEW.attributes, NEW.events
  );
END;
CREATE TRIGGER IF NOT EXISTS spans_delete INSTEAD OF DELETE ON spans BEGIN
  DELETE FROM span_rows WHERE trace_id = OLD.trace_id AND span_id = OLD.span_id;
END;`;

/** The columns of what a workflow or a checkpointed call spent (`CallTotals`), in both tables. */
const CALL_TOTALS_DDL = `input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL, agent_calls INTEGER NOT NULL, model_attempts INTEGER NOT NULL,`;

/**
 * Tables, created when a file is new. Secondary indexes come later (`INDEX_DDL`), after bulk load.
 * `workflows` is stored in key order (`WITHOUT ROWID`): a run's rows lie together, so the per-run
 * scans of every report read them in place (an hour-long run's summary, series and failures 3–10×
 * faster than through a separate key index), at no measurable cost to writing them.
 */
export const TABLE_DDL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  run_id         TEXT PRIMARY KEY,
  scenario       TEXT NOT NULL,
  pattern        TEXT NOT NULL,
  variant        TEXT NOT NULL,
  seed           INTEGER NOT NULL,
  epoch_ms       INTEGER NOT NULL,
  config         TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
  virtual_end_ms REAL,
  clock          TEXT NOT NULL DEFAULT 'virtual' CHECK (clock IN ('virtual', 'real')),
  load           TEXT NOT NULL DEFAULT '{}',
  shard          TEXT NOT NULL DEFAULT '',
  audit_rows     INTEGER,
  audit_head     TEXT
);
CREATE TABLE IF NOT EXISTS workflows (
  run_id            TEXT NOT NULL,
  workflow_id       INTEGER NOT NULL,
  case_id           TEXT NOT NULL,
  repeat            INTEGER NOT NULL,
  status            TEXT NOT NULL,
  intended_start_ms REAL NOT NULL,
  start_ms          REAL NOT NULL,
  end_ms            REAL NOT NULL,
  latency_ms        REAL NOT NULL,
  service_ms        REAL NOT NULL,
  ${CALL_TOTALS_DDL}
  correct           INTEGER,
  score             REAL,
  error_type        TEXT,
  failed_step       TEXT,
  output            TEXT,
  trace_id          TEXT NOT NULL,
  facts             TEXT,
  expected          TEXT,
  PRIMARY KEY (run_id, workflow_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS strings (
  id    INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS span_rows (
  run            INTEGER NOT NULL,
  trace_id       TEXT NOT NULL,
  span_id        TEXT NOT NULL,
  parent_span_id TEXT NOT NULL,
  workflow_id    INTEGER NOT NULL,
  name           INTEGER NOT NULL,
  kind           INTEGER NOT NULL,
  start_ms       REAL NOT NULL,
  end_ms         REAL NOT NULL,
  status         INTEGER NOT NULL,
  status_message TEXT NOT NULL,
  operation      INTEGER,
  agent_name     INTEGER,
  agent_id       INTEGER,
  provider       INTEGER,
  request_model  INTEGER,
  input_tokens   INTEGER,
  output_tokens  INTEGER,
  cached_tokens  INTEGER,
  cost_usd       REAL,
  cost_currency  INTEGER,
  cost_source    INTEGER,
  error_type     INTEGER,
  session_id     TEXT,
  attributes     TEXT NOT NULL,
  events         TEXT NOT NULL
);
${SPANS_VIEW_DDL}
CREATE TABLE IF NOT EXISTS histograms (
  run_id  TEXT NOT NULL,
  metric  TEXT NOT NULL,
  scope   TEXT NOT NULL,
  count   INTEGER NOT NULL,
  min_ms  REAL,
  max_ms  REAL,
  mean_ms REAL,
  encoded TEXT NOT NULL,
  PRIMARY KEY (run_id, metric, scope)
);
CREATE TABLE IF NOT EXISTS span_metrics (
  run_id           TEXT NOT NULL,
  operation        TEXT NOT NULL,
  agent_name       TEXT NOT NULL,
  request_model    TEXT NOT NULL,
  spans            INTEGER NOT NULL,
  errors           INTEGER NOT NULL,
  error_types      TEXT NOT NULL,
  attempts         INTEGER NOT NULL,
  retries          INTEGER NOT NULL,
  fallbacks        INTEGER NOT NULL,
  input_tokens     INTEGER NOT NULL,
  output_tokens    INTEGER NOT NULL,
  cached_tokens    INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_usd         REAL NOT NULL,
  duration_sum_ms  REAL NOT NULL,
  duration_min_ms  REAL,
  duration_max_ms  REAL,
  duration_encoded TEXT NOT NULL,
  PRIMARY KEY (run_id, operation, agent_name, request_model)
);
CREATE TABLE IF NOT EXISTS timeseries (
  run_id          TEXT NOT NULL,
  window_start_ms REAL NOT NULL,
  window_ms       REAL NOT NULL,
  arrivals        INTEGER NOT NULL,
  dropped         INTEGER NOT NULL,
  started         INTEGER NOT NULL,
  completed       INTEGER NOT NULL,
  failed          INTEGER NOT NULL,
  in_flight_max   INTEGER NOT NULL,
  in_flight_end   INTEGER NOT NULL,
  latency_p50_ms  REAL,
  latency_p95_ms  REAL,
  agent_calls     INTEGER NOT NULL,
  errors          INTEGER NOT NULL,
  cost_usd        REAL NOT NULL,
  PRIMARY KEY (run_id, window_start_ms)
);
CREATE TABLE IF NOT EXISTS queue_series (
  run_id          TEXT NOT NULL,
  resource        TEXT NOT NULL,
  window_start_ms REAL NOT NULL,
  window_ms       REAL NOT NULL,
  queue_max       INTEGER NOT NULL,
  queue_end       INTEGER NOT NULL,
  admitted        INTEGER NOT NULL,
  rejected        INTEGER NOT NULL,
  wait_p95_ms     REAL,
  PRIMARY KEY (run_id, resource, window_start_ms)
);
CREATE TABLE IF NOT EXISTS events (
  run_id      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  time_ms     REAL NOT NULL,
  workflow_id INTEGER,
  kind        TEXT NOT NULL,
  subject     TEXT NOT NULL,
  trace_id    TEXT,
  detail      TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS dead_letters (
  run_id               TEXT NOT NULL,
  seq                  INTEGER NOT NULL,
  time_ms              REAL NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('workflow', 'compensation')),
  workflow_id          INTEGER NOT NULL,
  case_id              TEXT NOT NULL,
  repeat               INTEGER NOT NULL,
  step                 TEXT,
  input                TEXT NOT NULL,
  error_type           TEXT NOT NULL,
  error_message        TEXT NOT NULL,
  trace_id             TEXT NOT NULL,
  replayed_run_id      TEXT,
  replayed_workflow_id INTEGER,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  run_id         TEXT NOT NULL,
  workflow_id    INTEGER NOT NULL,
  step           INTEGER NOT NULL,
  agent          TEXT NOT NULL,
  time_ms        REAL NOT NULL,
  result         TEXT NOT NULL,
  ${CALL_TOTALS_DDL}
  duration_ms    REAL NOT NULL,
  span_ids       TEXT NOT NULL,
  draws          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS thresholds (
  run_id     TEXT NOT NULL,
  expression TEXT NOT NULL,
  source     TEXT NOT NULL CHECK (source IN ('scenario', 'cli')),
  observed   REAL,
  passed     INTEGER NOT NULL,
  PRIMARY KEY (run_id, expression)
);
CREATE TABLE IF NOT EXISTS sweep_points (
  run_id TEXT NOT NULL,
  point  INTEGER NOT NULL,
  axis   INTEGER NOT NULL,
  path   TEXT NOT NULL,
  value  REAL NOT NULL,
  text   TEXT NOT NULL,
  scale  TEXT NOT NULL CHECK (scale IN ('linear', 'log')),
  PRIMARY KEY (run_id, axis)
);
CREATE TABLE IF NOT EXISTS recordings (
  run_id         TEXT NOT NULL,
  workflow_id    INTEGER NOT NULL,
  case_id        TEXT NOT NULL,
  repeat         INTEGER NOT NULL,
  agent          TEXT NOT NULL,
  call_index     INTEGER NOT NULL,
  attempt        INTEGER NOT NULL,
  start_ms       REAL NOT NULL,
  latency_ms     REAL NOT NULL,
  ttft_ms        REAL,
  status         TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  error_type     TEXT,
  error_message  TEXT,
  retry_after_ms REAL,
  input_tokens   INTEGER NOT NULL,
  output_tokens  INTEGER NOT NULL,
  cached_tokens  INTEGER NOT NULL,
  output         TEXT,
  provider       TEXT NOT NULL,
  request_model  TEXT NOT NULL,
  PRIMARY KEY (run_id, workflow_id, agent, call_index, attempt)
);
CREATE TABLE IF NOT EXISTS audit (
  run_id      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  time_ms     REAL NOT NULL,
  workflow_id INTEGER,
  request_id  TEXT NOT NULL,
  trace_id    TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL,
  decision    TEXT NOT NULL,
  detail      TEXT NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
`;

/**
 * Secondary indexes, built once the bulk of a run is loaded (at `SqliteSink.close()`): maintaining
 * them row by row during the load would cost more than building them in one sorted pass (a
 * `PRIMARY KEY (run_id, span_id)` maintained during the load made it ~10× slower: span ids are
 * random). `spans_trace` serves trace lookups and parent/child joins (trace ids are random
 * 128-bit values, unique across runs) and enforces that a span is stored once. Per-agent totals
 * scan a run's spans, which are stored contiguously; an index on (run_id, operation, agent_name)
 * cost ~0.55 µs per span to build and is left out.
 */
export const INDEX_DDL = `
CREATE INDEX IF NOT EXISTS workflows_latency ON workflows (run_id, latency_ms);
CREATE UNIQUE INDEX IF NOT EXISTS spans_trace ON span_rows (trace_id, span_id);
CREATE UNIQUE INDEX IF NOT EXISTS checkpoints_call ON checkpoints (run_id, workflow_id, step);
`;

/** Names of the indexes `INDEX_DDL` creates. */
export const INDEX_NAMES: readonly string[] = ['workflows_latency', 'spans_trace', 'checkpoints_call'];

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /**
   * Open for reading only (the report side). The file must exist and hold a patternbench schema
   * of a version in `READABLE_SCHEMA_VERSIONS`. Default `false`: the file is created with the schema when missing.
   */
  readonly readonly?: boolean;
}

/**
 * Opens a results file and checks its schema: `meta.tool` must be `patternbench` and
 * `meta.schema_version` must equal `SCHEMA_VERSION`, else `SCHEMA_MISMATCH`. A new (or empty)
 * file opened for writing gets the tables and the `meta` rows. Writable connections use WAL mode
 * with `synchronous=NORMAL`. A missing file opened read-only is a `USAGE` error.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  const readonly = options.readonly ?? false;
  if (readonly && path !== ':memory:' && !existsSync(path)) {
    throw new HarnessError('USAGE', `no results database at ${path}`);
  }
  const db = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
  try {
    if (readonly) {
      verifySchema(db, path, READABLE_SCHEMA_VERSIONS);
    } else {
      // Only takes effect on a new file (before its first table); 16 KiB pages load faster.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      initialiseSchema(db, path);
    }
  } catch (error: unknown) {
    db.close();
    throw error;
  }
  return db;
}

/** Creates the tables and `meta` rows in an empty database, or verifies an existing one. */
export function initialiseSchema(db: Db, path: string): void {
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
  if (tables.n > 0) {
    verifySchema(db, path);
    return;
  }
  db.transaction(() => {
    db.exec(TABLE_DDL);
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    insert.run('schema_version', String(SCHEMA_VERSION));
    insert.run('tool', SCHEMA_TOOL);
  })();
}

/** Throws `SCHEMA_MISMATCH` unless `db` is a patternbench file of one of `versions` (default: `SCHEMA_VERSION` alone). */
export function verifySchema(db: Db, path: string, versions: readonly number[] = [SCHEMA_VERSION]): void {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get();
  if (hasMeta === undefined) {
    throw new HarnessError('SCHEMA_MISMATCH', `${path} is not a patternbench results database (no meta table)`);
  }
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  const meta = new Map(rows.map((row) => [row.key, row.value]));
  if (meta.get('tool') !== SCHEMA_TOOL) {
    throw new HarnessError(
      'SCHEMA_MISMATCH',
      `${path} is not a patternbench results database (meta.tool is ${JSON.stringify(meta.get('tool') ?? null)})`,
    );
  }
  const version = meta.get('schema_version');
  if (!versions.some((accepted) => version === String(accepted))) {
    const reads = READABLE_SCHEMA_VERSIONS.includes(Number(version)) ? `, and reads ${version} but does not add to it` : '';
    throw new HarnessError(
      'SCHEMA_MISMATCH',
      `${path} has schema version ${version ?? 'none'}, but this patternbench writes version ${SCHEMA_VERSION}${reads}; ` +
        'write to a new file (or --overwrite), or use the patternbench release that wrote it',
    );
  }
}

/** Whether `table` of `db` has a column named `column` (a reader's check for a column older versions lack). */
export function hasColumn(db: Db, table: string, column: string): boolean {
  return db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined;
}

/** Builds the secondary indexes (idempotent). */
export function createIndexes(db: Db): void {
  db.exec(INDEX_DDL);
}
