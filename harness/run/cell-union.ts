/**
 * The results files of the tasks of a cell pool (harness/run/cell-pool.ts): each starts as a copy
 * of one empty results file made once per command (`makeTemplate`, `copyTemplate`), and their union,
 * in task order, into one new file is how `sweep` and `run --workers` join their cells.
 *
 * A task file from the template: creating the schema afresh cost ~10.5 ms a file (its statements
 * ~3.9 ms, switching to the write-ahead log ~2.2 ms, and its checkpoint), a copy of the empty file
 * ~0.4 ms (2026-12-05, 2-core AMD EPYC) — 1.1 s of CPU for a matrix of 110 cells.
 *
 * The union is exact: the files hold disjoint runs (a run is one cell), so every row of every table
 * is copied as it is — span strings re-keyed to the output's dictionary — and a run, workflow or
 * span found twice fails on the output's keys. It is what `merge` does for runs found in one input
 * (`merge` also combines the shards of one run), done by SQLite itself over an attached file: a
 * 5 × 5 × 4 sweep of due diligence (974,000 spans, 242,000 time-series windows) merges in 3.4 s
 * this way against 10.4 s through `merge`'s row-by-row copy (2026-12-04, BENCHMARKS.md). Rows go
 * in input order, and each file's rows in the order they were written, so the union of the files
 * of cells written one after another holds the rows one file written by those cells would hold.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createIndexes, openDatabase, SPAN_STRING_COLUMNS } from '../../reports/store/schema.ts';
import { SPAN_ROW_COLUMNS, SqliteSink } from '../../reports/store/sqlite-sink.ts';

/** Tables the union handles by name: `meta` (written with the schema) and the dictionary-encoded spans. */
const UNION_HANDLED = new Set(['meta', 'strings', 'span_rows']);

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes the union of the results files `inputs` (of this schema version, holding disjoint runs) to
 * a new file `out`: every table's rows in input order, `span_rows` with their string ids re-keyed
 * to the output's `strings`, then the indexes. A key found twice is a constraint error.
 */
export function unionCellFiles(out: string, inputs: readonly string[]): void {
  const target = openDatabase(out);
  try {
    // A failed union deletes the file with its folder: no journal needed while loading.
    target.pragma('journal_mode = OFF');
    target.pragma('synchronous = OFF');
    const tables = (target.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").pluck().all() as string[]).filter((table) => !UNION_HANDLED.has(table));
    const columns = new Map(tables.map((table) => [table, (target.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all(table) as string[]).map(quote).join(', ')]));
    // A WITHOUT ROWID table (workflows) is copied in its key's order; any other in insertion order.
    const order = new Map(
      tables.map((table) => {
        const sql = target.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as string;
        return [table, /WITHOUT\s+ROWID\s*$/i.test(sql.trim()) ? '' : ' ORDER BY rowid'];
      }),
    );
    const strings = new Set<string>(SPAN_STRING_COLUMNS.map(([column]) => column));
    const spanColumns = SPAN_ROW_COLUMNS.join(', ');
    const spanValues = SPAN_ROW_COLUMNS.map((column) => (strings.has(column) ? `(SELECT id FROM temp.string_ids WHERE old = s.${column})` : `s.${column}`)).join(', ');
    for (const input of inputs) {
      target.prepare('ATTACH DATABASE ? AS cell').run(input);
      try {
        target.transaction(() => {
          for (const table of tables) target.exec(`INSERT INTO main.${quote(table)} (${columns.get(table)}) SELECT ${columns.get(table)} FROM cell.${quote(table)}${order.get(table)}`);
          target.exec('INSERT OR IGNORE INTO main.strings (value) SELECT value FROM cell.strings ORDER BY id');
          target.exec('CREATE TEMP TABLE string_ids (old INTEGER PRIMARY KEY, id INTEGER NOT NULL)');
          target.exec('INSERT INTO temp.string_ids SELECT c.id, m.id FROM cell.strings c JOIN main.strings m ON m.value = c.value');
          target.exec(`INSERT INTO main.span_rows (${spanColumns}) SELECT ${spanValues} FROM cell.span_rows s ORDER BY s.rowid`);
          target.exec('DROP TABLE temp.string_ids');
        })();
      } finally {
        target.exec('DETACH DATABASE cell');
      }
    }
    createIndexes(target);
    target.pragma('journal_mode = WAL');
  } finally {
    target.close();
  }
}

/** Builds the indexes of the task file `path`, written without them, which becomes the output as it is (the one cell an interrupted command finished). */
export function addIndexes(path: string): void {
  const db = openDatabase(path);
  try {
    createIndexes(db);
  } finally {
    db.close();
  }
}

/** Makes the empty results file (the schema, no rows) task files start as, in `folder`; returns its path. */
export function makeTemplate(folder: string): string {
  const path = join(folder, 'template.db');
  // Closed cleanly: its log checkpointed and removed, the file whole on its own.
  openDatabase(path).close();
  return path;
}

/** Starts the task file `path` as a copy of `template`, replacing any file there (and its log). */
export function copyTemplate(template: string, path: string): void {
  for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  copyFileSync(template, path);
}

/**
 * The task file `path`, started from `template`, written in the calling thread: temporary (joined
 * into the output, then deleted; a failed command deletes it), so no journal and no syncing to
 * disk; its indexes built at close only when `indexes` (the file that becomes the output as it is).
 */
export function openTaskSink(template: string, path: string, indexes: boolean): SqliteSink {
  copyTemplate(template, path);
  const sink = SqliteSink.open(path, { indexes });
  sink.db.pragma('journal_mode = OFF');
  sink.db.pragma('synchronous = OFF');
  return sink;
}
