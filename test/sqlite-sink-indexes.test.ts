import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDEX_NAMES, openDatabase } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { SqliteWriterSink } from '../reports/store/sqlite-writer-sink.ts';
import { INDEXES_SQL as INDEXES, LONE_SPAN } from './support/db-dump.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-indexes-'));

describe('SqliteSink indexes', () => {
  it('builds the secondary indexes at close, not during the load', async () => {
    const path = join(folder, 'indexes.db');
    const sink = SqliteSink.open(path);
    expect(sink.db.prepare(INDEXES).pluck().all()).toEqual([]);
    await sink.close();
    const db = openDatabase(path, { readonly: true });
    expect(db.prepare(INDEXES).pluck().all()).toEqual([...INDEX_NAMES].sort());
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'spans_trace'").pluck().get()).toMatch(/UNIQUE INDEX.*\(trace_id, span_id\)/);
    db.close();
  });

  it('serves percentiles and trace lookups from those indexes', async () => {
    const path = join(folder, 'plans.db');
    await SqliteSink.open(path).close();
    const db = openDatabase(path, { readonly: true });
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan("SELECT latency_ms FROM workflows WHERE run_id = 'r' ORDER BY latency_ms LIMIT 1 OFFSET 5")).toContain('workflows_latency');
    expect(plan("SELECT * FROM spans WHERE run_id = 'r' AND trace_id = 't'")).toContain('spans_trace');
    db.close();
  });

  it('refuses to store the same span twice (unique index at close)', async () => {
    const path = join(folder, 'duplicate.db');
    const sink = SqliteSink.open(path);
    sink.writeSpan(LONE_SPAN);
    sink.writeSpan(LONE_SPAN);
    await expect(sink.close()).rejects.toThrow(/UNIQUE constraint failed/);
    expect(sink.db.open).toBe(false);
  });

  it('builds none when opened without them (a slice of a run, whose join builds them), in the thread or on a writer thread', async () => {
    const opens = { 'in-thread': (path: string) => SqliteSink.open(path, { indexes: false }), writer: (path: string) => SqliteWriterSink.open(path, { indexes: false }) };
    for (const [name, open] of Object.entries(opens)) {
      const path = join(folder, `no-indexes-${name}.db`);
      const sink = open(path);
      // Two copies of one span: with the unique index they would fail at close.
      sink.writeSpan(LONE_SPAN);
      sink.writeSpan(LONE_SPAN);
      await sink.close();
      const db = openDatabase(path, { readonly: true });
      expect(db.prepare(INDEXES).pluck().all(), name).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM span_rows').pluck().get(), name).toBe(2);
      db.close();
    }
  });
});
