/**
 * A digest of every table of a results file as stored — every column, rows in primary-key order
 * for a WITHOUT ROWID table and in insertion order for any other, spans as `span_rows` with their
 * file-local string ids and the `strings` dictionary itself — for "written the same" claims, which
 * are stricter than `results-digest.ts`'s "the same content". Left out: the wall-clock columns of
 * `runs` (`started_at`, `finished_at`), which say when a run was made, not what it measured.
 */
import { createHash } from 'node:crypto';
import { openDatabase } from '../../reports/store/schema.ts';

/** The columns left out of the digest, by table. */
export const WALL_CLOCK_COLUMNS: Readonly<Record<string, readonly string[]>> = { runs: ['started_at', 'finished_at'] };

/** `{ table: "rows:sha256" }` for every table of the file. */
export function tableDigests(path: string): Record<string, string> {
  const db = openDatabase(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    const digests: Record<string, string> = {};
    for (const table of tables) {
      const left = WALL_CLOCK_COLUMNS[table] ?? [];
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter((column) => !left.includes(column));
      const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as string;
      const order = /WITHOUT\s+ROWID\s*$/i.test(sql.trim()) ? '' : ' ORDER BY rowid';
      const rows = db.prepare(`SELECT ${columns.map((column) => `"${column}"`).join(', ')} FROM "${table}"${order}`).raw().all();
      digests[table] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
    }
    return digests;
  } finally {
    db.close();
  }
}
