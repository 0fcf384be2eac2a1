import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-open-'));

describe('SqliteSink.open', () => {
  it('creates missing parent folders', async () => {
    const path = join(folder, 'a', 'b', 'c.db');
    await SqliteSink.open(path).close();
    expect(existsSync(path)).toBe(true);
  });

  it('with overwrite, deletes the file and its -wal/-shm before starting', async () => {
    const path = join(folder, 'over.db');
    writeFileSync(path, 'not a database');
    writeFileSync(`${path}-wal`, 'stale wal');
    writeFileSync(`${path}-shm`, 'stale shm');
    const sink = SqliteSink.open(path, { overwrite: true });
    expect(sink.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    await sink.close();
  });

  it('appends to an existing file of the same version; overwrite replaces one of another version', async () => {
    const path = join(folder, 'append.db');
    const first = SqliteSink.open(path);
    first.beginRun({ runId: 'a', scenario: 's', pattern: 'fanout', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
    await first.close();
    const second = SqliteSink.open(path);
    second.beginRun({ runId: 'b', scenario: 's', pattern: 'fanout', variant: 'base', seed: 2, epochMs: 0, config: '{}', startedAt: 'x' });
    expect(second.db.prepare('SELECT run_id FROM runs ORDER BY run_id').pluck().all()).toEqual(['a', 'b']);
    await second.close();

    const stale = join(folder, 'stale.db');
    await SqliteSink.open(stale).close();
    const raw = new Database(stale);
    raw.prepare("UPDATE meta SET value = '999' WHERE key = 'schema_version'").run();
    raw.close();
    const replaced = SqliteSink.open(stale, { overwrite: true });
    expect(replaced.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    await replaced.close();
  });
});
