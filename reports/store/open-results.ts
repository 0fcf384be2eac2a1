/**
 * Opening a results file to read it: the one gate every read command goes through before it trusts
 * a file. A file that is missing, not SQLite, damaged, or not a patternbench file of a version and
 * layout the reader takes is the user's input error: a `HarnessError` naming the file and the
 * reason in one line (`USAGE`, `SCHEMA_MISMATCH` or `DATABASE_CORRUPT`; the CLI exits 2).
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { HarnessError } from '../../harness/kernel/errors.ts';
import { pageProblem } from './page-check.js';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_TOOL, SCHEMA_VERSION, TABLE_DDL, type Db } from './schema.ts';

/** What a reader takes of a results file. */
export interface ResultsReader {
  /** The reader as messages name it: `report`, `merge`. */
  readonly name: string;
  /** Schema versions it reads; default `READABLE_SCHEMA_VERSIONS`. */
  readonly versions?: readonly number[];
  /**
   * Tables and views it reads; each must be there and readable, and in a file of the current
   * version hold the columns of the current schema. Default: every table and view of the current
   * schema.
   */
  readonly relations?: readonly string[];
  /**
   * Tables it reads only a few rows of, by key, or none, in a file of schema `version` (the report
   * reads the spans of a handful of sample traces): their pages are not checked when the file is opened, so that opening a file costs what
   * the reader reads rather than the whole file (an hour-long run's 1.8 GB is ~95 % spans and
   * checkpoints). Damage in a page it does read is refused then, as `DATABASE_CORRUPT`
   * (`readFailure`); damage elsewhere in them cannot change its output. Default: none.
   */
  readonly readByKey?: (version: number) => readonly string[];
}

/** Readers that add to the file afterwards (`run --resume`): the whole schema of this version. */
export const APPENDING_READER: ResultsReader = { name: 'adding to a results file', versions: [SCHEMA_VERSION] };

/**
 * Bytes of the file SQLite maps into memory instead of reading page by page (SQLite's own cap,
 * 2 GiB - 64 KiB): a report's scans of a large file read its pages in place, without a system call
 * and a copy per page (a join over the 360,000 workflows of an hour-long run: 2.5 s → 0.6 s). The
 * pages are the operating system's file cache, not the process's heap; only the pages read are mapped.
 */
const READ_MMAP_BYTES = 0x7fff0000;

/** The first 16 bytes of every SQLite database file. */
const SQLITE_MAGIC = 'SQLite format 3\0';
/** Size of the SQLite file header. */
const HEADER_BYTES = 100;

/**
 * Opens `path` read-only for `reader` (default `APPENDING_READER`), after checking, in this order:
 * the file exists (`USAGE`); it is an SQLite file (`SCHEMA_MISMATCH`); it is whole — its size is a
 * whole number of pages and no smaller than its header says (`DATABASE_CORRUPT`); SQLite's
 * `PRAGMA quick_check` finds its pages and records sound (`DATABASE_CORRUPT`; it reads every page
 * once: 1–3 ms per MB; it does not compare indexes with their tables) — every page but those of the
 * tables the reader reads only by key (`readByKey`); `meta` names patternbench and
 * a version the reader takes, and the tables and views the reader reads are there
 * (`SCHEMA_MISMATCH`). The caller closes the connection.
 */
export function openResultsReadonly(path: string, reader: ResultsReader = APPENDING_READER): Db {
  return openChecked(path, (db) => {
    // Pages first: a damaged file is called damaged, whatever its meta table then says.
    const peeked = reader.readByKey === undefined ? null : peekVersion(db);
    checkPages(db, path, peeked === null ? [] : (reader.readByKey?.(peeked) ?? []));
    checkRelations(db, path, reader, checkMeta(db, path, reader));
  }).db;
}

/**
 * Checks the bytes of `path` (`checkFile`), opens it read-only and runs `check` on the connection,
 * which is closed when a check fails (SQLite's own errors as `HarnessError`s naming the file); then
 * maps the file into memory for reading (after the checks, which read pages faster through the
 * page cache than mapped).
 */
function openChecked<T>(path: string, check: (db: Db) => T): { readonly db: Db; readonly checked: T } {
  checkFile(path);
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error: unknown) {
    throw sqliteFailure(path, error);
  }
  try {
    const checked = check(db);
    db.pragma(`mmap_size = ${READ_MMAP_BYTES}`);
    return { db, checked };
  } catch (error: unknown) {
    db.close();
    throw error instanceof HarnessError ? error : sqliteFailure(path, error);
  }
}

/**
 * `openResultsReadonly` for a reader whose output can wait for the page check: every check but the
 * pages is made here, and the page check runs in a worker thread on a connection of its own while
 * the reader reads (the report of the shipped suite: 0.12 s of its ~1 s on the other core).
 * `pages` settles when it is done: it rejects with the `DATABASE_CORRUPT` error of a damaged file.
 * The reader must await it before it writes anything, and before it reports an error of its own
 * (on a damaged file, its queries may fail in any way: the verdict of the check comes first).
 */
export function openResultsDeferred(path: string, reader: ResultsReader): { readonly db: Db; readonly pages: Promise<void> } {
  const { db, checked: skipped } = openChecked(path, (db) => {
    const version = checkMeta(db, path, reader);
    checkRelations(db, path, reader, version);
    return reader.readByKey?.(version) ?? [];
  });
  const pages = new Promise<void>((resolve, reject) => {
    // Plain JavaScript: it needs none of the process's flags (a loader, `--input-type`).
    const worker = new Worker(new URL('./page-check-worker.js', import.meta.url), { workerData: { path, skipped }, execArgv: [] });
    worker.once('message', (message: { problem?: string | null; error?: { code: string; message: string } }) => {
      const failure = message.error;
      if (failure !== undefined) {
        reject(isCorruptCode(failure.code) ? damagedBySqlite(path, failure.message) : new HarnessError('USAGE', `cannot read ${path}: ${failure.message}`));
      } else if (message.problem !== null && message.problem !== undefined) {
        reject(damagedPages(path, message.problem));
      } else {
        resolve();
      }
    });
    worker.once('error', reject);
  });
  // Awaited by the reader; never an unhandled rejection while it is still reading.
  pages.catch(() => undefined);
  return { db, pages };
}

/** `statSync`, with a missing file as null and any other failure a `USAGE` error naming the file. */
function statOf(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HarnessError('USAGE', `cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
}

/** The first `HEADER_BYTES` bytes of `path` (fewer when it is shorter). */
function readHeader(path: string): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  try {
    const fd = openSync(path, 'r');
    try {
      return header.subarray(0, readSync(fd, header, 0, HEADER_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error: unknown) {
    throw new HarnessError('USAGE', `cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
}

/** The checks made on the bytes, before SQLite reads the file. */
function checkFile(path: string): void {
  const stats = statOf(path);
  if (stats === null) throw new HarnessError('USAGE', `no results database at ${path}`);
  if (stats.isDirectory()) throw new HarnessError('USAGE', `${path} is a folder, not a results database`);
  if (!stats.isFile()) throw new HarnessError('USAGE', `${path} is not a regular file, so not a results database`);
  if (stats.size === 0) throw new HarnessError('SCHEMA_MISMATCH', `${path} is empty (0 bytes), not a patternbench results database`);
  const header = readHeader(path);
  if (header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new HarnessError('SCHEMA_MISMATCH', `${path} is not a patternbench results database: it is not an SQLite file`);
  }
  const damaged = (why: string): HarnessError =>
    new HarnessError('DATABASE_CORRUPT', `${path} is damaged: ${why}; use an intact copy, or run the scenarios again`);
  if (header.length < HEADER_BYTES) throw damaged(`it is truncated, ending at byte ${header.length} inside SQLite's ${HEADER_BYTES}-byte header`);
  const sizeField = header.readUInt16BE(16);
  const pageSize = sizeField === 1 ? 65536 : sizeField;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw damaged(`its header names no valid page size (${sizeField})`);
  // A file being written keeps its newest pages in the log beside it until a checkpoint copies them in.
  if ((statOf(`${path}-wal`)?.size ?? 0) > 0) return;
  if (stats.size % pageSize !== 0) throw damaged(`it is truncated: its ${stats.size} bytes are not a whole number of ${pageSize}-byte pages`);
  // The page count in the header is valid when its version-valid-for number matches the change counter.
  const pages = header.readUInt32BE(28);
  if (pages > 0 && header.readUInt32BE(92) === header.readUInt32BE(24) && pages * pageSize > stats.size) {
    throw damaged(`it is truncated: its header counts ${pages} pages of ${pageSize} bytes (${pages * pageSize} bytes), the file holds ${stats.size}`);
  }
}

/** Refuses `path` as damaged when the page check (`page-check.js`) of all but `skipped` finds a problem. */
function checkPages(db: Db, path: string, skipped: readonly string[]): void {
  const problem = pageProblem(db, skipped);
  if (problem !== null) throw damagedPages(path, problem);
}

/** The `DATABASE_CORRUPT` error of a page check's `problem`. */
function damagedPages(path: string, problem: string): HarnessError {
  return new HarnessError('DATABASE_CORRUPT', `${path} is damaged: SQLite's integrity check reports ${problem}; use an intact copy, or run the scenarios again`);
}

/** The schema version `meta` names, or null when it cannot be read (`checkMeta` then says why). */
function peekVersion(db: Db): number | null {
  try {
    const value = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
    return typeof value === 'string' || typeof value === 'number' ? Number(value) : null;
  } catch {
    return null;
  }
}

/** Checks `meta` (patternbench, a version `reader` takes) and returns the version. */
function checkMeta(db: Db, path: string, reader: ResultsReader): number {
  const notOurs = (why: string): HarnessError => new HarnessError('SCHEMA_MISMATCH', `${path} is not a patternbench results database (${why})`);
  if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get() === undefined) {
    throw notOurs('an SQLite file without a meta table');
  }
  let meta: Map<string, unknown>;
  try {
    meta = new Map(db.prepare('SELECT key, value FROM meta').raw().all() as [string, unknown][]);
  } catch (error: unknown) {
    if (isCorrupt(error)) throw sqliteFailure(path, error);
    throw notOurs(`its meta table is not patternbench's: ${messageOf(error)}`);
  }
  const tool = meta.get('tool');
  if (tool !== SCHEMA_TOOL) throw notOurs(`meta.tool is ${JSON.stringify(tool ?? null)}`);
  const raw = meta.get('schema_version');
  const stored = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : null;
  const version = Number(stored);
  const versions = reader.versions ?? READABLE_SCHEMA_VERSIONS;
  if (stored === null || !versions.includes(version)) {
    const hint = READABLE_SCHEMA_VERSIONS.includes(version) ? 'report and compare read it' : 'use the patternbench release that wrote it';
    throw new HarnessError(
      'SCHEMA_MISMATCH',
      `${path} has schema version ${stored ?? 'none'}; ${reader.name} takes files of ${versionList(versions)} only (${hint})`,
    );
  }
  return version;
}

/** `version 5`, `versions 4 and 5`. */
function versionList(versions: readonly number[]): string {
  if (versions.length === 1) return `version ${String(versions[0])}`;
  return `versions ${versions.slice(0, -1).join(', ')} and ${String(versions[versions.length - 1])}`;
}

/** The tables and views of the current schema, with their columns (from its DDL, in memory). */
function currentRelations(): Map<string, readonly string[]> {
  const memory = new Database(':memory:');
  try {
    memory.exec(TABLE_DDL);
    const names = memory.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY rowid").pluck().all() as string[];
    return new Map(names.map((name) => [name, memory.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(name) as string[]]));
  } finally {
    memory.close();
  }
}

/** Checks that the tables and views `reader` reads are there, readable, and (in a current file) have today's columns. */
function checkRelations(db: Db, path: string, reader: ResultsReader, version: number): void {
  const current = currentRelations();
  const wanted = reader.relations ?? [...current.keys()];
  const present = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')").pluck().all() as string[]);
  const missing = wanted.filter((name) => !present.has(name));
  const incomplete = (what: string): HarnessError =>
    new HarnessError('SCHEMA_MISMATCH', `${path} says it is a patternbench results file of schema version ${version}, but ${what} (a damaged or hand-made file)`);
  if (missing.length > 0) {
    throw incomplete(`it has no ${missing.length === 1 ? 'table' : 'tables'} ${missing.join(', ')}, which ${reader.name} reads`);
  }
  for (const name of wanted) {
    let columns: string[];
    try {
      // Compiles a view too, so one over a missing table fails here.
      columns = db.prepare(`SELECT name FROM pragma_table_info('${name.replace(/'/g, "''")}')`).pluck().all() as string[];
    } catch (error: unknown) {
      throw incomplete(`its ${name} cannot be read (${messageOf(error)})`);
    }
    const lacking = version === SCHEMA_VERSION ? (current.get(name) ?? []).filter((column) => !columns.includes(column)) : [];
    if (lacking.length > 0) throw incomplete(`its ${name} has no ${lacking.length === 1 ? 'column' : 'columns'} ${lacking.join(', ')}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An error met reading the file after it was opened, as the `HarnessError` to report: SQLite's
 * finding a damaged page (in a table the open gate did not check page by page, `readByKey`) is
 * `DATABASE_CORRUPT` naming the file; anything else is passed on as it is.
 */
export function readFailure(path: string, error: unknown): unknown {
  return isCorrupt(error) ? sqliteFailure(path, error) : error;
}

/**
 * `read()` of a file opened by `openResultsDeferred`, its page check's verdict (`pages`) awaited
 * after it: the reader's result once the file is found whole; the check's `DATABASE_CORRUPT` first
 * when the file is damaged, even if `read` failed (its queries may fail in any way on a damaged
 * file), else `read`'s own error (`readFailure`).
 */
export async function readBesidePageCheck<T>(path: string, pages: Promise<void>, read: () => T): Promise<T> {
  let value: T;
  try {
    value = read();
  } catch (error: unknown) {
    await pages;
    throw readFailure(path, error);
  }
  await pages;
  return value;
}

/** SQLite found a damaged page, or no database at all. */
function isCorrupt(error: unknown): boolean {
  return error instanceof Database.SqliteError && isCorruptCode(error.code);
}

function isCorruptCode(code: string): boolean {
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/** The `DATABASE_CORRUPT` error of SQLite's refusing to read the file (`reason`: its message). */
function damagedBySqlite(path: string, reason: string, cause?: unknown): HarnessError {
  return new HarnessError('DATABASE_CORRUPT', `${path} is damaged: SQLite says "${reason}"; use an intact copy, or run the scenarios again`, { cause });
}

/** SQLite's own refusal of a file (it passed the header check) as a `HarnessError` naming it. */
function sqliteFailure(path: string, error: unknown): HarnessError {
  const reason = messageOf(error);
  if (isCorrupt(error)) return damagedBySqlite(path, reason, error);
  return new HarnessError('USAGE', `cannot read ${path}: ${reason}`, { cause: error });
}
