// The task files of a cell pool start as copies of one empty results file made per command
// (harness/run/cell-union.ts): the schema is there and no row, a file left at the path (and its log)
// is replaced, and a file written without indexes gets them when it becomes the output alone.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addIndexes, copyTemplate, makeTemplate } from '../harness/run/cell-union.ts';
import { INDEX_NAMES, openDatabase, SCHEMA_VERSION } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { indexNames } from './support/db-dump.ts';


describe('task files', () => {
  it('start as the empty results file, replacing what was there, and get their indexes when moved into place alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-task-files-'));
    const template = makeTemplate(folder);
    expect(existsSync(`${template}-wal`)).toBe(false);
    const task = join(folder, 'cell-0.db');
    writeFileSync(task, 'left by an earlier run');
    writeFileSync(`${task}-wal`, 'a stale log');
    copyTemplate(template, task);
    expect(existsSync(`${task}-wal`)).toBe(false);

    const sink = SqliteSink.open(task, { indexes: false });
    sink.beginRun({ runId: 'r', scenario: 's', pattern: 'sequential', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: '' });
    await sink.close();
    const db = openDatabase(task, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    expect(db.prepare('SELECT run_id FROM runs').pluck().all()).toEqual(['r']);
    expect(db.prepare('SELECT count(*) FROM workflows').pluck().get()).toBe(0);
    db.close();
    expect(indexNames(task)).toEqual([]);
    addIndexes(task);
    expect(indexNames(task)).toEqual([...INDEX_NAMES].sort());
  });
});
