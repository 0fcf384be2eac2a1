/**
 * Copying rows into the merge's output. Whole tables — workflows, spans, checkpoints, every table
 * the merge does not combine — are copied by SQLite itself: the input attached to the output's
 * connection, one `INSERT … SELECT` per table, no row crossing into JavaScript. Where an input's
 * table has the output's very columns and the output table has no index yet, SQLite copies the
 * stored records as they are, without decoding them (its transfer optimisation). Spans keep their
 * string ids where the output's `strings` gives the same ids (always for the first input), and are
 * re-keyed in SQL otherwise. The small per-run tables a merge filters or combines (histograms, span
 * metrics, series, audit) are copied through JavaScript from the input's read-only connection: one
 * prepared SELECT iterated raw, one prepared INSERT.
 *
 * The bundled SQLite is built without URI file names, so an input cannot be attached `mode=ro`: it
 * is attached like any file and only ever read (every statement here writes `main.` and reads the
 * input), while the read-only connection `merge` opened it with stays open, so detaching never
 * checkpoints the input's write-ahead log into it.
 */
import { HarnessError } from '../../../harness/kernel/errors.ts';
import { SPAN_STRING_COLUMNS, type Db } from '../schema.ts';
import { SPAN_ROW_COLUMNS } from '../sqlite-sink.ts';

/** Which runs of a table to copy: all, only these, or all but these. */
export type RunFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'only'; readonly runIds: readonly string[] }
  | { readonly kind: 'except'; readonly runIds: readonly string[] };

/** Options of `copyRows`. */
export interface CopyOptions {
  /** Default every row. */
  readonly runs?: RunFilter;
  /** Write into this table of the output instead (a staging table); default the same name. */
  readonly into?: string;
  /** Append this value as a last column (`source_input`: the input's position). */
  readonly input?: number;
  /** Describes a row for a conflict message; default `table (run_id)`. */
  readonly describe?: (row: readonly unknown[], columns: readonly string[]) => string;
}

/** Stored (not generated) columns of `table` in `db`, in order. */
export function storedColumns(db: Db, table: string): string[] {
  const columns = db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(table) as { name: string; hidden: number }[];
  return columns.filter((column) => column.hidden === 0).map((column) => column.name);
}

/** Whether `db` has a table named `table`. */
export function hasTable(db: Db, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function filterSql(runs: RunFilter): { sql: string; params: string[] } {
  if (runs.kind === 'all') return { sql: '', params: [] };
  const operator = runs.kind === 'only' ? 'IN' : 'NOT IN';
  return { sql: ` WHERE run_id ${operator} (SELECT value FROM json_each(?))`, params: [JSON.stringify(runs.runIds)] };
}

/**
 * Copies the rows of `table` from `source` (named `inputName` in messages) into `target`, with
 * the output's stored columns. A primary-key or unique clash is a `MERGE_CONFLICT` naming the row
 * and the input. Returns the rows copied. A table the input lacks copies nothing.
 */
export function copyRows(source: Db, target: Db, table: string, inputName: string, options: CopyOptions = {}): number {
  if (!hasTable(source, table)) return 0;
  const columns = storedColumns(target, table);
  const filter = filterSql(options.runs ?? { kind: 'all' });
  const select = source.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}${filter.sql}`).raw();
  const targetColumns = options.input === undefined ? columns : [...columns, 'source_input'];
  const insert = target.prepare(
    `INSERT INTO ${quote(options.into ?? table)} (${targetColumns.map(quote).join(', ')}) VALUES (${targetColumns.map(() => '?').join(', ')})`,
  );
  const runIdAt = columns.indexOf('run_id');
  let copied = 0;
  for (const row of select.iterate(...filter.params) as IterableIterator<unknown[]>) {
    if (options.input !== undefined) row.push(options.input);
    try {
      insert.run(row);
    } catch (error: unknown) {
      if (!isConstraintError(error)) throw error;
      const what = options.describe?.(row, columns) ?? `${table} row of run ${String(row[runIdAt])}`;
      throw new HarnessError('MERGE_CONFLICT', `${inputName}: ${what} is already in another input (${(error as Error).message})`, { cause: error });
    }
    copied++;
  }
  return copied;
}

/** A SQLite primary-key or unique constraint violation. */
export function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Creates `temp.<name>`: the columns of `table` (no constraints) plus `source_input INTEGER`. */
export function createStagingTable(target: Db, table: string, name: string): void {
  const columns = storedColumns(target, table).map(quote).join(', ');
  target.exec(`CREATE TEMP TABLE ${quote(name)} AS SELECT ${columns}, 0 AS source_input FROM main.${quote(table)} WHERE 0`);
}

/** The schema name an input is attached under while its rows are copied. */
const INPUT = 'merge_input';

/** Stored (not generated) columns of `schema.table` on `db`, in order; none when the table is missing. */
function columnsOf(db: Db, schema: string, table: string): string[] {
  return db.prepare('SELECT name FROM pragma_table_xinfo(?, ?) WHERE hidden = 0').pluck().all(table, schema) as string[];
}

/**
 * Attaches the results file at `path` (already checked by `openResultsReadonly`) to `target`, runs
 * `copy` in one transaction, and detaches it. Attaching is not possible inside a transaction, so
 * each input gets its own.
 */
export function withAttachedInput<T>(target: Db, path: string, copy: () => T): T {
  target.prepare(`ATTACH DATABASE ? AS ${INPUT}`).run(path);
  try {
    return target.transaction(copy)();
  } finally {
    target.exec(`DETACH DATABASE ${INPUT}`);
  }
}

/**
 * Copies every row of `table` from the attached input into the output (nothing when the input has
 * no such table). A primary-key or unique clash is a `MERGE_CONFLICT` naming the input, the table
 * and the key. Call inside `withAttachedInput`.
 */
export function copyAttachedTable(target: Db, table: string, inputName: string): void {
  const source = columnsOf(target, INPUT, table);
  if (source.length === 0) return;
  const columns = columnsOf(target, 'main', table);
  const list = columns.map(quote).join(', ');
  // `SELECT *` of the same columns lets SQLite copy the records without decoding them.
  const sql =
    source.join('\0') === columns.join('\0')
      ? `INSERT INTO main.${quote(table)} SELECT * FROM ${INPUT}.${quote(table)}`
      : `INSERT INTO main.${quote(table)} (${list}) SELECT ${list} FROM ${INPUT}.${quote(table)}`;
  try {
    target.exec(sql);
  } catch (error: unknown) {
    if (!isConstraintError(error)) throw error;
    throw new HarnessError('MERGE_CONFLICT', `${inputName}: a ${table} row is already in another input (${(error as Error).message})`, { cause: error });
  }
}

/** Largest string id the re-keying map of `rekeyExpression` holds: code points below the UTF-16 surrogates. */
const MAX_MAPPED_ID = 0xd7ff;

/**
 * The SQL that turns the input's string id in `column` into the output's. With every id from 1 to
 * `MAX_MAPPED_ID`, the map is one text parameter `:map` whose k-th character's code point is the
 * output id of input id k — `unicode(substr(:map, id, 1))`, no index seek (re-keying 167,000 spans
 * took 0.40 s this way against 0.65 s through a lookup table); otherwise a lookup in
 * `temp.merge_string_ids`.
 */
function rekeyExpression(column: string, map: string | null): string {
  return map === null ? `coalesce((SELECT id FROM temp.merge_string_ids WHERE old = s.${column}), s.${column})` : `unicode(substr(:map, s.${column}, 1))`;
}

/** `:map` of `rekeyExpression` for the (input id, output id) pairs that change, or null when an id is out of its range. */
function rekeyMap(target: Db): string | null {
  const range = target.prepare(`SELECT min(id), max(id) FROM ${INPUT}.strings`).raw().get() as [number | null, number | null];
  const changed = target.prepare('SELECT old, id FROM temp.merge_string_ids').raw().all() as [number, number][];
  const [low, high] = range;
  if (low === null || high === null || low < 1 || high > MAX_MAPPED_ID || changed.some(([, id]) => id > MAX_MAPPED_ID)) return null;
  const ids = Array.from({ length: high }, (_, position) => position + 1);
  for (const [old, id] of changed) ids[old - 1] = id;
  let map = '';
  for (let start = 0; start < ids.length; start += 8192) map += String.fromCharCode(...ids.slice(start, start + 8192));
  return map;
}

/**
 * Copies the attached input's spans: its `strings` into the output's (the first input's with their
 * ids, later ones' new strings appended), then its `span_rows` — as stored when every string keeps
 * its id, else with each string column re-keyed (`rekeyExpression`). A span stored twice is found
 * when the output's unique index is built. Call inside `withAttachedInput`.
 */
export function copyAttachedSpans(target: Db): void {
  const empty = target.prepare('SELECT NOT EXISTS (SELECT 1 FROM main.strings)').pluck().get() === 1;
  target.exec(
    empty
      ? `INSERT INTO main.strings (id, value) SELECT id, value FROM ${INPUT}.strings`
      : `INSERT OR IGNORE INTO main.strings (value) SELECT value FROM ${INPUT}.strings ORDER BY id`,
  );
  target.exec('CREATE TEMP TABLE merge_string_ids (old INTEGER PRIMARY KEY, id INTEGER NOT NULL)');
  try {
    target.exec(`INSERT INTO temp.merge_string_ids SELECT i.id, m.id FROM ${INPUT}.strings i JOIN main.strings m ON m.value = i.value WHERE m.id != i.id`);
    const rekeyed = target.prepare('SELECT EXISTS (SELECT 1 FROM temp.merge_string_ids)').pluck().get() === 1;
    if (!rekeyed && columnsOf(target, INPUT, 'span_rows').join('\0') === columnsOf(target, 'main', 'span_rows').join('\0')) {
      // The very records: SQLite copies them without decoding (the output's spans have no index yet).
      target.exec(`INSERT INTO main.span_rows SELECT * FROM ${INPUT}.span_rows`);
      return;
    }
    const map = rekeyMap(target);
    const strings = new Set<string>(SPAN_STRING_COLUMNS.map(([column]) => column));
    const values = SPAN_ROW_COLUMNS.map((column) => (strings.has(column) ? rekeyExpression(column, map) : `s.${column}`));
    const insert = target.prepare(`INSERT INTO main.span_rows (${SPAN_ROW_COLUMNS.join(', ')}) SELECT ${values.join(', ')} FROM ${INPUT}.span_rows s`);
    if (map === null) insert.run();
    else insert.run({ map });
  } finally {
    target.exec('DROP TABLE temp.merge_string_ids');
  }
}
