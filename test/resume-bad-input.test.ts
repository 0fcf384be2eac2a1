import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { dumpDatabase } from './support/db-dump.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-resume-bad-'));
const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const QUIET = ['--quiet', '--no-report', '--format', 'json'];

/** A results file of `args`, its runs then marked interrupted with their last two workflows gone. */
async function interruptedFile(name: string, args: readonly string[]): Promise<string> {
  const path = join(folder, `${name}.db`);
  expect(await main(['run', scenario, ...args, '--db', path, ...QUIET], captureIo())).toBe(0);
  const db = new Database(path);
  db.exec("UPDATE runs SET status = 'interrupted'; DELETE FROM workflows WHERE workflow_id >= 4");
  db.close();
  return path;
}

async function resumeFails(args: readonly string[], path: string): Promise<string> {
  const io = captureIo();
  const before = dumpDatabase(path);
  expect(await main(['run', scenario, ...args, '--resume', path, ...QUIET], io)).toBe(2);
  expect(dumpDatabase(path)).toEqual(before);
  return io.stderr.join('');
}

describe('run --resume with bad input', () => {
  let closed = '';
  let open = '';
  beforeAll(async () => {
    closed = await interruptedFile('closed', ['--pattern', 'sequential', '--cases', '6']);
    open = await interruptedFile('open', ['--pattern', 'sequential', '--cases', '6', '--rate', '1/s', '--duration', '6s']);
  });

  it('exits 2 when the file is missing or not a results database', async () => {
    const io = captureIo();
    expect(await main(['run', scenario, '--resume', join(folder, 'missing.db'), ...QUIET], io)).toBe(2);
    expect(io.stderr.join('')).toContain('missing.db');
    const text = join(folder, 'text.db');
    writeFileSync(text, 'not a database');
    const other = captureIo();
    expect(await main(['run', scenario, '--resume', text, ...QUIET], other)).toBe(2);
    expect(other.stderr.join('')).toContain('text.db');
  });

  it('exits 2, writing nothing, for --db beside --resume, an open load at another rate, or fewer cases than the run had', async () => {
    const copy = join(folder, 'copy.db');
    copyFileSync(closed, copy);
    expect(await resumeFails(['--db', copy], closed)).toContain('drop --db');
    expect(await resumeFails(['--pattern', 'sequential', '--cases', '6', '--rate', '2/s', '--duration', '6s'], open)).toContain('it ran with load');
    expect(await resumeFails(['--pattern', 'sequential', '--cases', '3'], closed)).toContain('--cases');
  });

  it('resumes the same command: every case finished once, the run completed', async () => {
    expect(await main(['run', scenario, '--pattern', 'sequential', '--cases', '6', '--resume', closed, ...QUIET], captureIo())).toBe(0);
    const db = new Database(closed, { readonly: true });
    expect(db.prepare('SELECT workflow_id FROM workflows ORDER BY workflow_id').pluck().all()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(db.prepare('SELECT status FROM runs').pluck().all()).toEqual(['completed']);
    db.close();
  });
});
