import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../reports/store/schema.ts';
import { dumpDatabase } from './support/db-dump.ts';
import { resumeOf, runInterrupted, runInto, specOf } from './support/interrupted-run.ts';

/** The tables `dumpDatabase` leaves out, each in key order. */
function otherRows(path: string): Record<string, unknown[]> {
  const db = openDatabase(path, { readonly: true });
  try {
    return {
      checkpoints: db.prepare('SELECT * FROM checkpoints ORDER BY run_id, workflow_id, step').all(),
      dead_letters: db.prepare('SELECT * FROM dead_letters ORDER BY run_id, seq').all(),
      audit: db.prepare('SELECT * FROM audit ORDER BY run_id, seq').all(),
    };
  } finally {
    db.close();
  }
}

const folder = mkdtempSync(join(tmpdir(), 'patternbench-resume-'));

describe.each([
  ['legal-review', 'sequential'],
  ['market-research', 'fanout'],
  ['market-research', 'supervisor'],
  // Events and dead letters (an outage fails workflows), an audit trail (the runs before the interruption began its chain).
  ['credit-check-outage', 'sequential'],
  ['support-routing-injection', 'router'],
] as const)('a %s %s run interrupted after 15 workflows and resumed', (file, pattern) => {
  it('holds the rows of the same run never interrupted', async () => {
    const spec = specOf(file, pattern);
    const whole = join(folder, `${file}-${pattern}-whole.db`);
    await runInto(whole, spec, {}, true);

    const resumed = join(folder, `${file}-${pattern}-resumed.db`);
    await runInterrupted(resumed, spec, 15);
    const before = dumpDatabase(resumed);
    expect(before['runs']).toMatchObject([{ status: 'interrupted' }]);
    expect(before['workflows']).toHaveLength(15);

    const resume = resumeOf(resumed, spec);
    expect([...resume.finished].sort((a, b) => a - b)).toEqual([...Array(15).keys()]);
    await runInto(resumed, spec, { resume }, false);

    const expected = dumpDatabase(whole, { withoutWallClock: true });
    const actual = dumpDatabase(resumed, { withoutWallClock: true });
    // Every table equal, rows in the same order: workflows, spans, time series, histograms, events.
    expect(actual).toEqual(expected);
    expect(otherRows(resumed)).toEqual(otherRows(whole));
  });
});
