/**
 * Each read command declares the tables and views it reads (`ResultsReader.relations`): with only
 * those left in a results file it still works, and without any one of them it is refused by name
 * before it reads anything. The opener also refuses a current file missing a column, a view it
 * cannot read, and a version the reader does not take.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_READER } from '../harness/cli/audit.ts';
import { COMPARE_READER } from '../harness/cli/compare.ts';
import { DLQ_LIST_READER } from '../harness/cli/dlq.ts';
import { main } from '../harness/cli/main.ts';
import { CALIBRATE_READER } from '../harness/ingest/calibrate-attempts.ts';
import { REPORT_READER } from '../reports/html/report.ts';
import { openResultsReadonly, type ResultsReader } from '../reports/store/open-results.ts';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-declared-'));
const good = join(folder, 'good.db');

/** Each command with the reader it declares; `db` is the file under test, `other` an intact one. */
const COMMANDS: readonly [string, ResultsReader, (db: string, other: string) => string[]][] = [
  ['report', REPORT_READER, (db) => ['report', db, '--out', `${db}.html`]],
  ['compare', COMPARE_READER, (db, other) => ['compare', db, other]],
  ['dlq list', DLQ_LIST_READER, (db) => ['dlq', 'list', db]],
  ['audit verify', AUDIT_READER, (db) => ['audit', 'verify', db]],
  ['calibrate', CALIBRATE_READER, (db) => ['calibrate', db, '--out', `${db}.yaml`]],
];

/** Tables a view of the schema reads: they stay while the view does. */
const VIEW_TABLES: Record<string, readonly string[]> = { spans: ['span_rows', 'strings'] };

/** A copy of the good file changed by `sql`. */
function changedCopy(name: string, sql: (db: Database.Database) => void): string {
  const path = join(folder, name);
  copyFileSync(good, path);
  const db = new Database(path);
  sql(db);
  db.close();
  return path;
}

/** A copy holding only `keep` (and `meta`, and the tables of the views kept). */
function copyWithOnly(name: string, keep: readonly string[]): string {
  const kept = new Set(['meta', ...keep, ...keep.flatMap((relation) => VIEW_TABLES[relation] ?? [])]);
  return changedCopy(name, (db) => {
    const relations = db.prepare("SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table'").all() as { type: string; name: string }[];
    for (const { type, name } of relations) if (!kept.has(name)) db.exec(`DROP ${type === 'view' ? 'VIEW' : 'TABLE'} ${name}`);
  });
}

async function cli(argv: readonly string[]): Promise<{ code: number; stderr: string }> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, stderr: io.stderr.join('\n') };
}

describe('the tables and views each read command declares', () => {
  beforeAll(async () => {
    expect(await main(['run', scenario, '--cases', '6', '--db', good, '--quiet', '--no-report', '--format', 'json'], captureIo())).toBe(0);
  });

  for (const [command, reader, argv] of COMMANDS) {
    it(`${command}: works with only ${(reader.relations ?? []).join(', ')}, and is refused by name without any one`, async () => {
      const only = copyWithOnly(`${command.replace(' ', '-')}-only.db`, reader.relations ?? []);
      expect(await cli(argv(only, good))).toEqual({ code: 0, stderr: expect.not.stringContaining('error') });
      for (const relation of reader.relations ?? []) {
        const without = changedCopy(`${command.replace(' ', '-')}-without-${relation}.db`, (db) => db.exec(`DROP ${relation === 'spans' ? 'VIEW' : 'TABLE'} ${relation}`));
        expect(await cli(argv(without, good))).toEqual({
          code: 2,
          stderr: `error [SCHEMA_MISMATCH]: ${without} says it is a patternbench results file of schema version ${SCHEMA_VERSION}, but it has no table ${relation}, which ${reader.name} reads (a damaged or hand-made file)`,
        });
      }
    });
  }
});

describe('openResultsReadonly, schema checks', () => {
  it('refuses a current file whose table lacks a column of the current schema, naming both', () => {
    const path = changedCopy('no-column.db', (db) => db.exec('ALTER TABLE dead_letters DROP COLUMN replayed_workflow_id'));
    expect(() => openResultsReadonly(path, DLQ_LIST_READER)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_MISMATCH', message: expect.stringContaining('its dead_letters has no column replayed_workflow_id') }),
    );
  });

  it('refuses a view over a table that is gone, naming the view and the table', () => {
    const path = changedCopy('broken-view.db', (db) => db.exec('DROP TABLE span_rows'));
    expect(() => openResultsReadonly(path, CALIBRATE_READER)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_MISMATCH', message: expect.stringMatching(/its spans cannot be read \(.*no such table: main\.span_rows\)/) }),
    );
  });

  it('refuses, for a reader of the current version only, an older version the others still read', () => {
    const older = READABLE_SCHEMA_VERSIONS.find((version) => version !== SCHEMA_VERSION) as number;
    const path = changedCopy('older.db', (db) => db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(older)));
    expect(() => openResultsReadonly(path)).toThrow(
      expect.objectContaining({
        code: 'SCHEMA_MISMATCH',
        message: `${path} has schema version ${older}; adding to a results file takes files of version ${SCHEMA_VERSION} only (report and compare read it)`,
      }),
    );
    const db = openResultsReadonly(path, COMPARE_READER);
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(2);
    db.close();
  });
});
