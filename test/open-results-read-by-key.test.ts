/**
 * The report's open gate checks the pages of the tables it scans, not of those it reads by key or
 * not at all (`REPORT_READER.readByKey`): damage there either cannot change the report (it prints
 * what it prints for the intact file) or is met when read and refused like any damaged file (exit
 * 2, `DATABASE_CORRUPT`, one line naming the file, nothing written). The check runs beside the
 * report's queries, and its verdict comes first. Commands that check the whole file still refuse
 * both files (`summary` too, its check also beside its queries).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'patternbench-read-by-key-'));

/** A copy of `good` in its own folder with every leaf page of `table` given an invalid page type (SQLite refuses such a page whenever it reads it). */
function damageTable(good: string, table: string): string {
  const db = new Database(good, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'").pluck().all(table) as number[];
  db.close();
  expect(pages.length).toBeGreaterThan(0);
  const bytes = readFileSync(good);
  for (const page of pages) bytes[(page - 1) * pageSize] = 0x7f;
  const dir = join(root, table);
  mkdirSync(dir);
  writeFileSync(join(dir, 'results.db'), bytes);
  return join(dir, 'results.db');
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

describe('report on a file damaged only where it reads by key', () => {
  const good = join(root, 'intact', 'results.db');
  let intactHtml = '';

  beforeAll(async () => {
    mkdirSync(join(root, 'intact'));
    expect(await cli(['run', scenario, '--cases', '12', '--checkpoints', '--db', good, '--quiet', '--no-report', '--format', 'json'])).toMatchObject({ code: 0 });
    expect(await cli(['report', good, '--out', join(root, 'intact', 'results.html')])).toMatchObject({ code: 0 });
    intactHtml = readFileSync(join(root, 'intact', 'results.html'), 'utf8');
  });

  it('writes the same report when the damage is in a table it never reads (checkpoints)', async () => {
    const damaged = damageTable(good, 'checkpoints');
    const out = join(root, 'checkpoints', 'results.html');
    expect(await cli(['report', damaged, '--out', out])).toEqual({ code: 0, stdout: out, stderr: '' });
    // The page names its file; otherwise the same bytes.
    expect(readFileSync(out, 'utf8')).toBe(intactHtml);
  });

  it('refuses the file when it reads a damaged page (the spans of its sample waterfalls), writing nothing', async () => {
    const damaged = damageTable(good, 'span_rows');
    const out = join(root, 'span_rows', 'results.html');
    const outcome = await cli(['report', damaged, '--out', out]);
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^error \[DATABASE_CORRUPT\]: \S*span_rows\/results\.db is damaged: SQLite says "[^"\n]+"; use an intact copy/) });
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a file damaged where it scans with the verdict of the integrity check, though its queries fail first, writing nothing', async () => {
    // The page check runs beside the report's queries; its verdict is awaited before any output or error.
    const damaged = damageTable(good, 'workflows');
    const out = join(root, 'workflows', 'results.html');
    const outcome = await cli(['report', damaged, '--out', out]);
    expect(outcome).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^error \[DATABASE_CORRUPT\]: \S*workflows\/results\.db is damaged: SQLite's integrity check reports "[^\n]+" \(table workflows\); use an intact copy/) });
    expect(existsSync(out)).toBe(false);
  });

  it('is still refused by the commands that check every page, with the verdict of the check (summary: beside its queries), printing nothing', async () => {
    for (const table of ['checkpoints', 'span_rows', 'workflows']) {
      const copy = join(root, table, 'summary.db');
      copyFileSync(join(root, table, 'results.db'), copy);
      const outcome = await cli(['summary', copy]);
      expect({ table, ...outcome }).toEqual({ table, code: 2, stdout: '', stderr: expect.stringMatching(/^error \[DATABASE_CORRUPT\]: .*summary\.db is damaged: SQLite's integrity check reports/) });
    }
  });
});
