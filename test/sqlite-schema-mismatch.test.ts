import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { LONE_SPAN } from './support/db-dump.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-schema-'));

async function fileWithVersion(name: string, version: string): Promise<string> {
  const path = join(folder, name);
  await SqliteSink.open(path).close();
  const db = new Database(path);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(version);
  db.close();
  return path;
}

describe('schema version check', () => {
  it('records schema_version and tool in meta', async () => {
    const path = join(folder, 'fresh.db');
    await SqliteSink.open(path).close();
    const db = openDatabase(path, { readonly: true });
    expect(db.prepare('SELECT key, value FROM meta ORDER BY key').all()).toEqual([
      { key: 'schema_version', value: String(SCHEMA_VERSION) },
      { key: 'tool', value: 'patternbench' },
    ]);
    db.close();
  });

  it('refuses to append to a file of another schema version (SCHEMA_MISMATCH, naming both versions)', async () => {
    const path = await fileWithVersion('old.db', '999');
    expect(() => SqliteSink.open(path)).toThrow(
      expect.objectContaining({
        code: 'SCHEMA_MISMATCH',
        message: expect.stringMatching(new RegExp(`schema version 999.*version ${SCHEMA_VERSION}`)),
      }),
    );
  });

  it('reads a version-4 file (spans stored as a table) but refuses to append to it', async () => {
    const path = join(folder, 'v4.db');
    const sink = SqliteSink.open(path);
    sink.beginRun({ runId: 'r', scenario: 's', pattern: 'sequential', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
    sink.writeSpan({ ...LONE_SPAN, runId: 'r', name: 'invoke_agent a', attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
    await sink.close();
    const db = new Database(path);
    db.exec(`CREATE TABLE spans_v4 AS SELECT * FROM spans; DROP VIEW spans; DROP TABLE span_rows; DROP TABLE strings;
      ALTER TABLE spans_v4 RENAME TO spans; UPDATE meta SET value = '4' WHERE key = 'schema_version'`);
    db.close();
    const reader = openDatabase(path, { readonly: true });
    expect(reader.prepare('SELECT run_id, name, operation FROM spans').all()).toEqual([{ run_id: 'r', name: 'invoke_agent a', operation: 'invoke_agent' }]);
    reader.close();
    expect(() => SqliteSink.open(path)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_MISMATCH', message: expect.stringContaining(`writes version ${SCHEMA_VERSION}, and reads 4 but does not add to it`) }),
    );
  });

  it('refuses to read a file of another schema version', async () => {
    const path = await fileWithVersion('old-read.db', '0');
    expect(() => openDatabase(path, { readonly: true })).toThrow(expect.objectContaining({ code: 'SCHEMA_MISMATCH' }));
  });

  it('refuses a SQLite file that patternbench did not write', () => {
    const path = join(folder, 'foreign.db');
    const db = new Database(path);
    db.exec('CREATE TABLE things (id INTEGER)');
    db.close();
    expect(() => SqliteSink.open(path)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_MISMATCH', message: expect.stringContaining('not a patternbench results database') }),
    );
  });

  it('reports a missing file opened read-only as USAGE', () => {
    expect(() => openDatabase(join(folder, 'missing.db'), { readonly: true })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('missing.db') }),
    );
  });
});
