/** Opening input results files read-only, where any unreadable file is the user's input error. */
import { HarnessError } from '../../harness/kernel/errors.ts';
import { openDatabase, type Db } from './schema.ts';

/**
 * `openDatabase(path, { readonly: true })`, with SQLite's own failures (not a database, a
 * corrupt or unreadable file) turned into `SCHEMA_MISMATCH` errors naming the file, so the CLI
 * exits 2 instead of crashing. A missing file stays a `USAGE` error.
 */
export function openResultsReadonly(path: string): Db {
  try {
    return openDatabase(path, { readonly: true });
  } catch (error: unknown) {
    if (error instanceof HarnessError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new HarnessError('SCHEMA_MISMATCH', `${path} is not a readable patternbench results database (${reason})`, { cause: error });
  }
}
