/**
 * Every command that reads a results file, run through the CLI on damaged and foreign files made
 * from one real run: each exits 2 with one error line naming the file (no stack trace) and writes
 * nothing, except where the damage is harmless — then it must print exactly what it prints for the
 * intact file.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveRng } from '../harness/kernel/rng.ts';
import { main } from '../harness/cli/main.ts';
import { SCHEMA_TOOL, SCHEMA_VERSION } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'patternbench-damaged-'));
const RUN = ['--cases', '12'];

/** The read commands, given the file to read (`db`) and the folder it sits in; `good` is the intact file. */
const COMMANDS: Record<string, (db: string, dir: string, good: string) => string[]> = {
  report: (db) => ['report', db],
  'compare (as base)': (db, _dir, good) => ['compare', db, good],
  'compare (as head)': (db, _dir, good) => ['compare', good, db],
  merge: (db, dir) => ['merge', join(dir, 'merged.db'), db],
  'dlq list': (db) => ['dlq', 'list', db],
  'audit verify': (db) => ['audit', 'verify', db],
  calibrate: (db, dir) => ['calibrate', db, '--out', join(dir, 'profiles.yaml')],
  // Last: on a file it accepts, resume may write to it.
  'run --resume': (db) => ['run', scenario, ...RUN, '--resume', db, '--quiet', '--no-report', '--format', 'json'],
};

/** What a command did: exit code, output, a crash (what bin.js would print as a stack trace), and what it wrote. */
interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly crash: string | null;
  readonly written: readonly string[];
  readonly changed: boolean;
}

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
/** SQLite's shared-memory and log files beside a WAL-mode file, which any reader of it creates. */
const SQLITE_SIDE_FILES = new Set(['results.db-wal', 'results.db-shm']);
const listing = (dir: string): string[] => readdirSync(dir).filter((name) => !SQLITE_SIDE_FILES.has(name)).sort();

async function runCommand(name: string, dir: string, good: string): Promise<Outcome> {
  const db = join(dir, 'results.db');
  const before = listing(dir);
  const hash = digest(db);
  const io = captureIo();
  let code = -1;
  let crash: string | null = null;
  try {
    code = await main((COMMANDS[name] as (db: string, dir: string, good: string) => string[])(db, dir, good), io);
  } catch (error: unknown) {
    crash = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  const written = listing(dir).filter((file) => !before.includes(file));
  // Paths differ only by the folder: the outputs of two files compare equal with it replaced.
  const local = (text: string): string => text.replaceAll(dir, '<dir>');
  return { code, stdout: local(io.stdout.join('\n')), stderr: local(io.stderr.join('\n')), crash, written, changed: digest(db) !== hash };
}

/** What each command wrote (beside its output), for comparing a harmless variant with the intact file. */
function artefacts(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['results.html', 'profiles.yaml']) {
    const path = join(dir, name);
    if (existsSync(path)) files[name] = readFileSync(path, 'utf8').replaceAll(dir, '<dir>');
  }
  const merged = join(dir, 'merged.db');
  if (existsSync(merged)) {
    const db = new Database(merged, { readonly: true });
    files['merged.db'] = JSON.stringify(['runs', 'workflows', 'span_rows', 'histograms'].map((table) => db.prepare(`SELECT * FROM ${table}`).raw().all()));
    db.close();
  }
  return files;
}

/** A b-tree page of the file: its offset, type (13 table leaf, 10 index leaf, 5 and 2 interior), header end, cells and free gap. */
interface Page {
  readonly offset: number;
  readonly type: number;
  readonly cells: readonly number[];
  readonly gapStart: number;
  readonly gapEnd: number;
}

/** The b-tree pages after the first (SQLite file format, section 1.6). */
function btreePages(bytes: Buffer): Page[] {
  const size = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
  const pages: Page[] = [];
  for (let offset = size; offset < bytes.length; offset += size) {
    const type = bytes[offset] as number;
    if (![2, 5, 10, 13].includes(type)) continue;
    const header = type === 10 || type === 13 ? 8 : 12;
    const count = bytes.readUInt16BE(offset + 3);
    const cells = Array.from({ length: count }, (_, index) => offset + bytes.readUInt16BE(offset + header + 2 * index));
    const content = bytes.readUInt16BE(offset + 5) === 0 ? 65536 : bytes.readUInt16BE(offset + 5);
    pages.push({ offset, type, cells, gapStart: offset + header + 2 * count, gapEnd: offset + content });
  }
  return pages;
}

/** The kinds of damage; `code` is the error expected, or null for damage that changes nothing read. */
interface Variant {
  readonly name: string;
  readonly code: 'SCHEMA_MISMATCH' | 'DATABASE_CORRUPT' | null;
  /** Not an SQLite file: `calibrate` reads it as OTLP/JSON traces instead, and refuses it as such. */
  readonly notSqlite?: boolean;
  readonly make: (path: string, bytes: Buffer) => void;
}

const random = deriveRng(20240521, 'damaged-results-files');
const pick = <T,>(list: readonly T[]): T => random.pick(list);
/** Overwrites 16 seeded random bytes at `offset`. */
function overwrite(path: string, bytes: Buffer, offset: number): void {
  const damaged = Buffer.from(bytes);
  for (let index = 0; index < 16; index++) damaged[offset + index] = random.int(256);
  writeFileSync(path, damaged);
}

const VARIANTS: readonly Variant[] = [
  { name: 'empty', code: 'SCHEMA_MISMATCH', notSqlite: true, make: (path) => writeFileSync(path, '') },
  { name: 'text', code: 'SCHEMA_MISMATCH', notSqlite: true, make: (path) => writeFileSync(path, 'scenario,pattern,p95\nlegal-review,sequential,61s\n') },
  {
    name: 'foreign-sqlite',
    code: 'SCHEMA_MISMATCH',
    make: (path) => {
      const db = new Database(path);
      db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org')");
      db.close();
    },
  },
  {
    name: 'meta-only',
    code: 'SCHEMA_MISMATCH',
    make: (path) => {
      const db = new Database(path);
      db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run('schema_version', String(SCHEMA_VERSION), 'tool', SCHEMA_TOOL);
      db.close();
    },
  },
  { name: 'truncated-in-header', code: 'DATABASE_CORRUPT', make: (path, bytes) => writeFileSync(path, bytes.subarray(0, 60)) },
  { name: 'truncated-to-header', code: 'DATABASE_CORRUPT', make: (path, bytes) => writeFileSync(path, bytes.subarray(0, 100)) },
  { name: 'truncated-mid-page', code: 'DATABASE_CORRUPT', make: (path, bytes) => writeFileSync(path, bytes.subarray(0, bytes.length - 1000)) },
  {
    name: 'truncated-at-half',
    code: 'DATABASE_CORRUPT',
    make: (path, bytes) => {
      writeFileSync(path, bytes);
      const page = bytes.readUInt16BE(16);
      truncateSync(path, Math.floor(bytes.length / page / 2) * page);
    },
  },
  { name: 'overwritten-page-header', code: 'DATABASE_CORRUPT', make: (path, bytes) => overwrite(path, bytes, pick(btreePages(bytes).filter((page) => page.type === 13)).offset) },
  { name: 'overwritten-table-cell', code: 'DATABASE_CORRUPT', make: (path, bytes) => overwrite(path, bytes, pick(pick(btreePages(bytes).filter((page) => page.type === 13 && page.cells.length > 0)).cells)) },
  { name: 'overwritten-index-cell', code: 'DATABASE_CORRUPT', make: (path, bytes) => overwrite(path, bytes, pick(pick(btreePages(bytes).filter((page) => page.type === 10 && page.cells.length > 0)).cells)) },
  {
    // Inside a page's unallocated gap (between its cell pointers and its cells): nothing reads those bytes.
    name: 'overwritten-free-space',
    code: null,
    make: (path, bytes) => {
      const page = pick(btreePages(bytes).filter((candidate) => candidate.gapEnd - candidate.gapStart >= 64));
      overwrite(path, bytes, page.gapStart + 16 + random.int(page.gapEnd - page.gapStart - 48));
    },
  },
];

describe('read commands on damaged and foreign results files', () => {
  const good = join(root, 'original', 'results.db');
  const expected = new Map<string, Outcome>();
  const expectedFiles = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    mkdirSync(join(root, 'original'));
    const run = await main(['run', scenario, ...RUN, '--db', good, '--quiet', '--no-report', '--format', 'json'], captureIo());
    expect(run).toBe(0);
    const bytes = readFileSync(good);
    for (const variant of VARIANTS) {
      mkdirSync(join(root, variant.name));
      variant.make(join(root, variant.name, 'results.db'), bytes);
    }
    // What each command does on an intact copy, for the harmless variant to match.
    const intact = join(root, 'intact');
    mkdirSync(intact);
    copyFileSync(good, join(intact, 'results.db'));
    for (const command of Object.keys(COMMANDS)) expected.set(command, await runCommand(command, intact, good));
    expectedFiles.set('intact', artefacts(intact));
  });

  it('runs every command on the intact file (exit 0), so the refusals below come from the damage', () => {
    for (const [command, outcome] of expected) expect({ command, code: outcome.code, crash: outcome.crash }).toEqual({ command, code: 0, crash: null });
  });

  for (const variant of VARIANTS) {
    it(`${variant.name}: ${variant.code === null ? 'exit 0 with the output of the intact file' : `exit 2, ${variant.code}, one line naming the file, nothing written`}`, async () => {
      const dir = join(root, variant.name);
      const actual: unknown[] = [];
      const wanted: unknown[] = [];
      for (const command of Object.keys(COMMANDS)) {
        const outcome = await runCommand(command, dir, good);
        // A crash is what bin.js prints with its stack trace; its first line says what went wrong.
        const seen = { command, code: outcome.code, crash: outcome.crash?.split('\n')[0] ?? null, stdout: outcome.stdout, stderr: outcome.stderr.split('\n') };
        if (variant.code === null) {
          const intact = expected.get(command) as Outcome;
          actual.push(seen);
          wanted.push({ command, code: 0, crash: null, stdout: intact.stdout, stderr: intact.stderr.split('\n') });
          continue;
        }
        const code = command === 'calibrate' && variant.notSqlite === true ? 'TRACE_INVALID' : variant.code;
        actual.push({ ...seen, written: outcome.written, changed: outcome.changed });
        wanted.push({
          command, code: 2, crash: null, stdout: '',
          stderr: [expect.stringMatching(new RegExp(`^error \\[${code}\\]: [^\\n]*<dir>/results\\.db`))],
          written: [], changed: false,
        });
        expect(outcome.stderr).not.toMatch(/^\s+at /m);
      }
      expect(actual).toEqual(wanted);
      if (variant.code === null) expect(artefacts(dir)).toEqual(expectedFiles.get('intact'));
    });
  }
});
