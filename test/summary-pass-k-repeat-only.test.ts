import { afterAll, describe, expect, it } from 'vitest';
import { formatPassAllK, formatSummary } from '../reports/summary/format.ts';
import { summarise, type SummaryRow } from '../reports/summary/summary.ts';
import type { Db } from '../reports/store/schema.ts';
import { emptyResultsDb, insertRun } from './support/threshold-db.ts';

/** Inserts workflow `id` of `runId`: case `caseId`, try `repeat` (0-based), right or not. */
function insertTry(db: Db, runId: string, id: number, caseId: string, repeat: number, correct: boolean): void {
  db.prepare(
    `INSERT INTO workflows (run_id, workflow_id, case_id, repeat, status, intended_start_ms, start_ms, end_ms, latency_ms, service_ms,
       input_tokens, output_tokens, cached_tokens, cost_usd, agent_calls, model_attempts, correct, trace_id)
     VALUES (?, ?, ?, ?, 'completed', 0, 0, 10, 10, 10, 0, 0, 0, 0, 1, 1, ?, ?)`,
  ).run(runId, id, caseId, repeat, Number(correct), `${runId}-${id}`);
}

const db = emptyResultsDb();
const setLoad = (runId: string, load: object): void => void db.prepare('UPDATE runs SET load = ? WHERE run_id = ?').run(JSON.stringify(load), runId);

// cycling: an open load through 5 cases, 100 arrivals: each case comes round 20 times (repeat 0 … 19), no --repeat.
insertRun(db, { runId: 'cycling', scenario: 's', pattern: 'router' });
setLoad('cycling', { kind: 'open', process: 'constant', phases: [{ durationMs: 10_000, fromPerSecond: 10, toPerSecond: 10 }], maxInFlight: null, onFull: 'drop', windowMs: null });
for (let i = 0; i < 100; i++) insertTry(db, 'cycling', i, `c${i % 5}`, Math.floor(i / 5), i % 7 !== 0);

// looping: a closed load with a duration also cycles its cases (workflow i runs case i mod 4, try ⌊i / 4⌋).
insertRun(db, { runId: 'looping', scenario: 's', pattern: 'fanout' });
setLoad('looping', { kind: 'closed', concurrency: 2, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: 60_000, windowMs: null });
for (let i = 0; i < 12; i++) insertTry(db, 'looping', i, `c${i % 4}`, Math.floor(i / 4), true);

// repeated: --repeat 3 over 4 cases, stopped (a budget) before case c3's third try. c1 was wrong once.
insertRun(db, { runId: 'repeated', scenario: 's', pattern: 'sequential' });
setLoad('repeated', { kind: 'closed', concurrency: 1, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: null, windowMs: null });
let id = 0;
for (let repeat = 0; repeat < 3; repeat++) {
  for (const caseId of ['c0', 'c1', 'c2', 'c3']) {
    if (caseId === 'c3' && repeat === 2) continue;
    insertTry(db, 'repeated', id++, caseId, repeat, !(caseId === 'c1' && repeat === 1));
  }
}
const rows = new Map(summarise(db).map((row) => [row.runId, row]));
afterAll(() => db.close());

const row = (runId: string): SummaryRow => rows.get(runId) as SummaryRow;

describe('pass^k', () => {
  it('is not shown for a load that cycles through its cases: those are new arrivals, not repeats', () => {
    for (const runId of ['cycling', 'looping']) {
      expect(row(runId).repeats, runId).toBe(1);
      expect(row(runId).passAllK, runId).toBeNull();
      expect(formatPassAllK(row(runId)), runId).toBe('–');
    }
    expect(formatSummary([row('cycling')], 'table')).not.toMatch(/k=\d/);
  });

  it('is taken over the cases tried exactly k times under --repeat k', () => {
    expect(row('repeated').repeats).toBe(3);
    // c0, c1, c2 tried 3 times (c1 wrong once); c3 only twice, so not counted: 2 of 3.
    expect(row('repeated').passAllK).toBe(2 / 3);
    expect(formatPassAllK(row('repeated'))).toBe('66.6% (k=3)');
  });
});
