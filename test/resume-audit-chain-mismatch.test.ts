import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { resumeOf, runInterrupted, runInto, specOf } from './support/interrupted-run.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-resume-audit-'));

function auditRows(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM audit ORDER BY seq').all();
  } finally {
    db.close();
  }
}

describe('a resumed run whose stored audit rows it does not reproduce', () => {
  it('fails with RESUME_MISMATCH, storing no audit row after them and leaving the run unfinished', async () => {
    const spec = specOf('support-routing-injection', 'router');
    const path = join(folder, 'interrupted.db');
    await runInterrupted(path, spec, 10);
    // The last stored row as another version of the run would have chained it (the trigger dropped to write it).
    const db = new Database(path);
    db.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET hash = 'other' WHERE seq = (SELECT max(seq) FROM audit)`);
    db.close();
    const stored = auditRows(path);
    expect(stored.length).toBeGreaterThan(0);

    await expect(runInto(path, spec, { resume: resumeOf(path, spec) }, false)).rejects.toMatchObject({ code: 'RESUME_MISMATCH' });
    expect(auditRows(path)).toEqual(stored);
    const runs = new Database(path, { readonly: true });
    expect(runs.prepare('SELECT status FROM runs').pluck().all()).toEqual(['running']);
    runs.close();
  });
});
