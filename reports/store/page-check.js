// The page check of the open gate (reports/store/open-results.ts): SQLite's `PRAGMA quick_check` —
// the structure of every page and record, not index against table — of the whole file, or of every
// table but those a reader reads only by key. Plain JavaScript, so that a worker thread can run it
// (page-check-worker.js) while the reader builds its output.

/**
 * The first problem `PRAGMA quick_check` finds in `db` (a better-sqlite3 connection), with the
 * table or index it is in when SQLite names its b-tree — `"Tree 13 page 30: …" (table workflows)` —
 * or null when the pages are sound. `skipped`: tables not to check (empty: the whole file at once).
 */
export function pageProblem(db, skipped) {
  const tables =
    skipped.length === 0
      ? [null]
      : db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rootpage").pluck().all().filter((name) => !skipped.includes(name));
  for (const table of tables) {
    const result = db.prepare(table === null ? 'PRAGMA quick_check(1)' : `PRAGMA quick_check('${table.replace(/'/g, "''")}')`).pluck().get();
    if (result === 'ok') continue;
    // Problems come as lines after a "*** in database main ***" heading; the first says enough.
    const problem = (result.split('\n').find((line) => line.trim() !== '' && !line.startsWith('***')) ?? result).trim();
    return `"${problem}"${treeName(db, problem)}`;
  }
  return null;
}

/** ` (table workflows)` for a problem "Tree 13 page 30: …", naming the table or index whose b-tree starts at page 13; '' when unknown. */
function treeName(db, problem) {
  const root = /^Tree (\d+) /.exec(problem)?.[1];
  if (root === undefined) return '';
  try {
    const tree = db.prepare('SELECT type, name FROM sqlite_schema WHERE rootpage = ?').get(Number(root));
    return tree === undefined ? '' : ` (${tree.type} ${tree.name})`;
  } catch {
    // The schema page itself may be what is damaged: the message stands without the name.
    return '';
  }
}
