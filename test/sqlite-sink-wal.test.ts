import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-wal-'));

describe('SqliteSink file mode', () => {
  it('writes a WAL-mode file with synchronous=NORMAL and 16 KiB pages', async () => {
    const path = join(folder, 'wal.db');
    const sink = SqliteSink.open(path);
    expect(sink.db.pragma('synchronous', { simple: true })).toBe(1);
    await sink.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    db.close();
  });
});
