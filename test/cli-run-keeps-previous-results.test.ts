import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { keepPreviousResults, previousResultsPath } from '../harness/cli/previous-results.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-previous-results-'));
const home = process.cwd();

/** `run` of the legal review with `cases` cases into the default `out/legal-review.db` (the cwd is `folder`). */
async function runDefault(cases: number, ...extra: string[]): Promise<string[]> {
  const io = captureIo();
  const code = await main(['run', scenario, '--pattern', 'sequential', '--cases', String(cases), '--no-report', ...extra], io);
  expect(code).toBe(0);
  return io.stderr;
}

function workflows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM workflows').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('run keeps the previous default results file', () => {
  beforeAll(() => process.chdir(folder));
  afterAll(() => process.chdir(home));

  it('moves out/<name>.db to out/<name>.prev.db before writing it again, and says so', async () => {
    expect(await runDefault(3)).not.toContainEqual(expect.stringMatching(/kept the previous results/));
    expect(existsSync('out/legal-review.prev.db')).toBe(false);

    expect(await runDefault(5)).toContain('kept the previous results as out/legal-review.prev.db');
    expect(workflows('out/legal-review.prev.db')).toBe(3);
    expect(workflows('out/legal-review.db')).toBe(5);

    await runDefault(2);
    expect(workflows('out/legal-review.prev.db')).toBe(5);
    expect(workflows('out/legal-review.db')).toBe(2);
  });

  it('leaves an explicit --db alone (it is replaced only with --overwrite, as before)', async () => {
    const explicit = join(folder, 'explicit.db');
    await runDefault(3, '--db', explicit);
    expect(await runDefault(2, '--db', explicit, '--overwrite')).not.toContainEqual(expect.stringMatching(/kept the previous results/));
    expect(existsSync(previousResultsPath(explicit))).toBe(false);
  });
});

describe('keepPreviousResults', () => {
  it('names the kept file', () => {
    expect(previousResultsPath('out/x.db')).toBe('out/x.prev.db');
    expect(previousResultsPath('out/x.sqlite')).toBe('out/x.sqlite.prev');
  });

  it('moves a log still holding pages with its file, and drops the stale log of the older one', () => {
    const live = join(folder, 'live.db');
    const writer = new Database(live);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)');
    // A copy taken while the writer is open: its rows are only in the log, as after a crash.
    const crashed = join(folder, 'crashed.db');
    for (const side of ['', '-wal']) copyFileSync(`${live}${side}`, `${crashed}${side}`);
    writer.close();
    writeFileSync(`${previousResultsPath(crashed)}-wal`, 'stale log of an older file');

    const io = captureIo();
    expect(keepPreviousResults(crashed, io, { quiet: false })).toBe(previousResultsPath(crashed));
    expect(io.stderr).toEqual([`kept the previous results as ${previousResultsPath(crashed)}`]);
    for (const side of ['', '-wal', '-shm']) expect(existsSync(`${crashed}${side}`), side).toBe(false);
    const kept = new Database(previousResultsPath(crashed), { readonly: true });
    expect(kept.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
    kept.close();
  });

  it('keeps nothing when there is no file', () => {
    const io = captureIo();
    expect(keepPreviousResults(join(folder, 'none.db'), io, { quiet: false })).toBeNull();
    expect(io.stderr).toEqual([]);
  });
});
