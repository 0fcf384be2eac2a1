// One writer per results file. A command that writes a results file first claims it with
// `<file>.lock`, created exclusively and holding its process id; a second writer is refused with
// DATABASE_BUSY before it deletes or changes anything. A lock left by a process that died (kill -9)
// is stale: its process is gone, and the next writer takes it over.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HarnessError } from '../../harness/kernel/errors.ts';

/** A claim on a results file; `release()` it when the file is complete. */
export class ResultsLock {
  private released = false;

  private constructor(
    /** The lock file. */
    readonly path: string,
    /** The folder made to hold the results file, when it did not exist; null otherwise. */
    readonly createdFolder: string | null,
  ) {}

  /**
   * Claims `dbPath` for writing: creates its folder when missing, then `<dbPath>.lock`. Throws
   * `USAGE` for an empty path, `DATABASE_BUSY` when a live process holds it, and
   * `DATABASE_UNWRITABLE` when the folder or lock cannot be created (read-only, not a folder).
   */
  static acquire(dbPath: string): ResultsLock {
    if (dbPath.trim() === '') throw new HarnessError('USAGE', 'the results file path is empty (--db needs a file name)');
    const folder = dirname(resolve(dbPath));
    const createdFolder = existsSync(folder) ? null : folder;
    const lockPath = `${dbPath}.lock`;
    try {
      if (createdFolder !== null) mkdirSync(folder, { recursive: true });
      for (let attempt = 0; ; attempt++) {
        try {
          const fd = openSync(lockPath, 'wx');
          writeSync(fd, `${process.pid}\n`);
          closeSync(fd);
          return new ResultsLock(lockPath, createdFolder);
        } catch (error) {
          if (errorCode(error) !== 'EEXIST' || attempt > 0) throw error;
          const holder = lockHolder(lockPath);
          if (holder !== null && holder !== process.pid && processAlive(holder)) {
            throw new HarnessError('DATABASE_BUSY', `${dbPath} is being written by another patternbench process (pid ${holder}); wait for it to finish, or choose another --db`);
          }
          rmSync(lockPath, { force: true }); // stale: its writer is gone
        }
      }
    } catch (error) {
      if (error instanceof HarnessError) throw error;
      throw new HarnessError('DATABASE_UNWRITABLE', `cannot write the results file ${dbPath}: ${reason(error)}`, { cause: error });
    }
  }

  /** Gives the file up (idempotent). */
  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.path, { force: true });
  }
}

/** Process id written in a lock file; null when unreadable. */
function lockHolder(lockPath: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * True while process `pid` runs (signal 0 checks without signalling; EPERM means it exists). A
 * zombie — dead, waiting for a parent that may never reap it, as in a container without an init —
 * holds nothing: on Linux its state in /proc is `Z` (or `X`).
 */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') return false;
  }
  return !zombie(pid);
}

function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state …`: comm may hold spaces and parentheses, so read after the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false; // no /proc (not Linux): signal 0 is all there is
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function reason(error: unknown): string {
  const code = errorCode(error);
  const messages: Record<string, string> = {
    EACCES: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder',
    ENOENT: 'the folder cannot be created there',
  };
  return (code !== undefined ? messages[code] : undefined) ?? (error instanceof Error ? error.message : String(error));
}
