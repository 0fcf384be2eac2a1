import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { resumeOf, runInterrupted, runInto, specOf } from './support/interrupted-run.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-resume-links-'));

function deadLetters(path: string): { seq: number; replayed_run_id: string | null; replayed_workflow_id: number | null }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT seq, replayed_run_id, replayed_workflow_id FROM dead_letters ORDER BY seq').all() as ReturnType<typeof deadLetters>;
  } finally {
    db.close();
  }
}

describe('dead letters replayed (dlq replay) before the run is resumed', () => {
  it('keep their replay links on the rewritten rows', async () => {
    const spec = specOf('credit-check-outage', 'sequential');
    const path = join(folder, 'interrupted.db');
    await runInterrupted(path, spec, 15);
    // What `dlq replay` does to each letter it replays (harness/run/recovery/dlq-replay.ts).
    const db = new Database(path);
    const linked = db.prepare("UPDATE dead_letters SET replayed_run_id = run_id || '/replay-1', replayed_workflow_id = seq").run().changes;
    db.close();
    expect(linked).toBeGreaterThan(0);
    const before = deadLetters(path);

    await runInto(path, spec, { resume: resumeOf(path, spec) }, false);
    const after = deadLetters(path);
    expect(after.slice(0, before.length)).toEqual(before);
    // The letters of the workflows run after the interruption are new: not replayed yet.
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.slice(before.length).every((letter) => letter.replayed_run_id === null)).toBe(true);
  });
});
