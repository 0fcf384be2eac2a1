/**
 * `merge` and the audit trail: a run found whole in one input keeps its chain as is (its head is
 * in its `runs` row). The parts of one run split across inputs share one chain that cannot be
 * re-chained without rewriting it: rows found in several parts (the same `run_id` and `seq`) are
 * copied once, and `audit verify` says whether the merged chain still holds.
 */
import { copyRows, type RunFilter } from './merge-copy.ts';
import type { Db } from '../schema.ts';
import { AUDIT_COLUMNS } from '../audit-rows.ts';

/** Copies `source`'s audit rows into `target`: the runs of `separate` as is, those of `together` once per (run, seq). */
export function copyAuditRows(source: Db, target: Db, inputName: string, separate: RunFilter, together: readonly string[]): void {
  copyRows(source, target, 'audit', inputName, { runs: separate });
  if (together.length === 0 || source.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'audit'").get() === undefined) return;
  const select = source.prepare(`SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit WHERE run_id IN (SELECT value FROM json_each(?))`).raw();
  const insert = target.prepare(`INSERT OR IGNORE INTO audit (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`);
  for (const row of select.iterate(JSON.stringify(together)) as IterableIterator<unknown[]>) insert.run(row);
}
