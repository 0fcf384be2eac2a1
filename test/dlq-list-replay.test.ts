import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-dlq-'));
const scenarioFile = join(folder, 'orders.yaml');
const db = join(folder, 'orders.db');
const BASE = 'orders/sequential/base/seed-7';
const BROKEN = 'orders/sequential/broken/seed-7';

// ship fails transiently half the time (no retry) in the base scenario, and always in `broken`.
writeFileSync(
  scenarioFile,
  `
name: orders
seed: 7
agents:
  reserve: { role: reserves stock, model: mid-tier, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 }, compensation: { agent: release } }
  ship: { role: ships, model: mid-tier, latency: 1s, faults: { error: 0.5, timeout: 0, rateLimit: 0 }, retry: { attempts: 1 } }
  release: { role: releases stock, model: mid-tier, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 20, labels: { shipped: 1 } }
patterns:
  sequential: { steps: [reserve, ship] }
variants:
  broken:
    agents:
      ship: { faults: { error: 1 } }
`,
);

interface Letter {
  run_id: string;
  seq: number;
  kind: string;
  workflow_id: number;
  case_id: string;
  repeat: number;
  trace_id: string;
  replayed_run_id: string | null;
  replayed_workflow_id: number | null;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(sql).all(...params) as T[];
  } finally {
    sqlite.close();
  }
}

async function cli(...argv: string[]) {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('patternbench dlq', () => {
  beforeAll(async () => {
    expect((await cli('run', scenarioFile, '--db', db, '--quiet', '--no-report', '--format', 'json')).code).toBe(0);
  });

  it('lists every failed workflow with its trace id, and filters by kind', async () => {
    const failed = query<{ run_id: string; workflow_id: number; trace_id: string; failed_step: string }>(
      "SELECT run_id, workflow_id, trace_id, failed_step FROM workflows WHERE status = 'failed' ORDER BY run_id, workflow_id",
    );
    expect(failed.filter((row) => row.run_id === BROKEN)).toHaveLength(20);
    expect(failed.filter((row) => row.run_id === BASE).length).toBeGreaterThan(0);

    const listed = await cli('dlq', 'list', db, '--format', 'json', '--kind', 'workflow');
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.out) as { runId: string; workflowId: number; traceId: string; step: string; errorType: string; input: { caseId: string } }[];
    expect(rows.map((row) => [row.runId, row.workflowId, row.traceId, row.step])).toEqual(
      failed.map((row) => [row.run_id, row.workflow_id, row.trace_id, row.failed_step]),
    );
    expect(new Set(rows.map((row) => row.errorType))).toEqual(new Set(['error']));

    const table = await cli('dlq', 'list', db);
    expect(table.out).toContain(failed[0]!.trace_id);
    expect(table.out).toContain(`dead letters: ${failed.length} (${failed.length} workflow, 0 compensation)`);
    expect((await cli('dlq', 'list', db, '--kind', 'compensation', '--format', 'csv')).out.split('\r\n')).toHaveLength(1);
  });

  it('replays dead letters as linked runs; transient failures may pass, permanent ones stay failed', async () => {
    const before = query<Letter>("SELECT * FROM dead_letters WHERE kind = 'workflow' ORDER BY run_id, seq");
    const replay = await cli('dlq', 'replay', db);
    expect(replay.code).toBe(1); // the broken variant's workflows still fail

    const after = query<Letter>("SELECT * FROM dead_letters WHERE run_id IN (?, ?) AND kind = 'workflow' ORDER BY run_id, seq", BASE, BROKEN);
    expect(after).toHaveLength(before.length);
    const replays = query<{ run_id: string; workflow_id: number; case_id: string; repeat: number; status: string; facts: string }>(
      'SELECT run_id, workflow_id, case_id, repeat, status, facts FROM workflows WHERE run_id LIKE ? ORDER BY run_id, workflow_id',
      '%/replay-%',
    );
    expect(replays).toHaveLength(before.length);
    for (const letter of after) {
      expect(letter.replayed_run_id).toBe(`${letter.run_id}/replay-1`);
      const replayed = replays.find((row) => row.run_id === letter.replayed_run_id && row.workflow_id === letter.replayed_workflow_id);
      expect(replayed).toMatchObject({ case_id: letter.case_id, repeat: letter.repeat });
      expect(JSON.parse(replayed!.facts)['dlq.replay_of']).toBe(`${letter.run_id}#${letter.workflow_id}`);
    }
    const statuses = (runId: string) => replays.filter((row) => row.run_id === runId).map((row) => row.status);
    expect(statuses(`${BROKEN}/replay-1`)).toEqual(Array(20).fill('failed'));
    const base = statuses(`${BASE}/replay-1`);
    const completed = base.filter((status) => status === 'completed').length;
    expect(completed).toBeGreaterThan(0);
    expect(replay.out).toContain(`${BASE}/replay-1: replayed ${base.length}, now completed ${completed}, still failing ${base.length - completed}`);
    expect(replay.out).toContain(`${BROKEN}/replay-1: replayed 20, now completed 0, still failing 20`);
    expect(query<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);

    // The replay's own dead letters are replayed next, on behalf of the original run, as replay-2.
    const again = await cli('dlq', 'replay', db, '--run', BROKEN);
    expect(again.code).toBe(1);
    expect(again.out).toContain(`${BROKEN}/replay-2: replayed 20, now completed 0, still failing 20`);
    const second = query<Letter>('SELECT * FROM dead_letters WHERE run_id = ?', `${BROKEN}/replay-1`);
    expect(second.map((letter) => letter.replayed_run_id)).toEqual(Array(20).fill(`${BROKEN}/replay-2`));
    expect(query('SELECT 1 FROM dead_letters WHERE run_id LIKE ? AND replayed_run_id IS NULL', `${BASE}/replay-%`).length).toBe(base.length - completed);
  });

  it('exits 2 for a missing database, an unknown run or a missing scenario file, writing nothing', async () => {
    expect((await cli('dlq', 'list', join(folder, 'none.db'))).code).toBe(2);
    expect((await cli('dlq', 'replay', join(folder, 'none.db'))).code).toBe(2);
    const unknown = await cli('dlq', 'replay', db, '--run', 'orders/sequential/base/seed-8');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("no run 'orders/sequential/base/seed-8'");

    const runs = () => query<{ n: number }>('SELECT count(*) AS n FROM runs')[0]!.n;
    const count = runs();
    renameSync(scenarioFile, `${scenarioFile}.moved`);
    try {
      const missing = await cli('dlq', 'replay', db);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain(`scenario file ${JSON.stringify(scenarioFile)}`);
      expect(runs()).toBe(count);
    } finally {
      renameSync(`${scenarioFile}.moved`, scenarioFile);
    }
  });
});
