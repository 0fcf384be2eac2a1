/**
 * The default results file (`out/<name>.db`, when `run` is given no `--db`) is written afresh by
 * every run. The one it would replace is kept as `out/<name>.prev.db`, so a baseline survives for
 * `compare out/<name>.prev.db out/<name>.db`. Only the database moves: the HTML report beside it is
 * written again.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { HarnessError } from '../kernel/errors.ts';
import type { CliIo } from './progress.ts';

/** SQLite's side files of a database in WAL mode: its log and the log's shared-memory index. */
const SIDE_FILES = ['-wal', '-shm'] as const;

/** `out/x.db` → `out/x.prev.db`; a name without `.db` gets `.prev` appended. */
export function previousResultsPath(dbPath: string): string {
  return /\.db$/i.test(dbPath) ? `${dbPath.slice(0, -3)}.prev${dbPath.slice(-3)}` : `${dbPath}.prev`;
}

/**
 * Moves the results file at `dbPath`, when there is one, to `previousResultsPath(dbPath)`,
 * replacing an older one there. Its `-wal` and `-shm` move with it (a run that crashed may have left
 * pages in its log), and the older file's are removed first, so no stale log is applied to the
 * file that takes its name. Call it holding the lock on `dbPath` (`ResultsLock`), before the file is
 * opened for writing. Says so on stderr unless `quiet`; returns the path kept, or null when there
 * was nothing to keep. A file that cannot be moved is `DATABASE_UNWRITABLE`.
 */
export function keepPreviousResults(dbPath: string, io: CliIo, options: { readonly quiet: boolean }): string | null {
  if (!existsSync(dbPath)) return null;
  const previous = previousResultsPath(dbPath);
  try {
    for (const file of [previous, ...SIDE_FILES.map((side) => `${previous}${side}`)]) rmSync(file, { force: true });
    renameSync(dbPath, previous);
    for (const side of SIDE_FILES) if (existsSync(`${dbPath}${side}`)) renameSync(`${dbPath}${side}`, `${previous}${side}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HarnessError('DATABASE_UNWRITABLE', `cannot keep the previous results ${dbPath} as ${previous}: ${reason}`, { cause: error });
  }
  if (!options.quiet) io.err(`kept the previous results as ${previous}`);
  return previous;
}
