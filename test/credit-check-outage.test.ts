import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { dumpDatabase } from './support/db-dump.ts';

const scenario = new URL('../scenarios/credit-check-outage.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-outage-'));
const OUTAGE = { fromMs: 180_000, toMs: 300_000 };
const BASE = 'credit-check-outage/sequential/base/seed-31';
const BREAKER = 'credit-check-outage/sequential/breaker-fallback/seed-31';

async function run(name: string): Promise<{ db: string; stdout: string; code: number }> {
  const db = join(folder, `${name}.db`);
  const io = captureIo();
  const code = await main(['run', scenario, '--db', db, '--no-report', '--quiet'], io);
  return { db, stdout: io.stdout.join('\n'), code };
}

describe('scenario credit-check-outage: without and with a breaker plus fallback', () => {
  let first: { db: string; stdout: string; code: number };
  let sql: Database.Database;
  beforeAll(async () => {
    first = await run('first');
    sql = new Database(first.db, { readonly: true });
  });

  it('without a breaker, the orders of the outage fail for good: dead-lettered, inventory released, none left uncompensated', () => {
    const failed = sql.prepare("SELECT intended_start_ms, error_type, failed_step FROM workflows WHERE run_id = ? AND status = 'failed'").all(BASE) as {
      intended_start_ms: number; error_type: string; failed_step: string;
    }[];
    expect(failed.length).toBeGreaterThan(100);
    for (const workflow of failed) {
      expect(workflow).toMatchObject({ error_type: 'unavailable', failed_step: 'credit-check' });
      // Started before the outage ended, and late enough to reach the credit check during it.
      expect(workflow.intended_start_ms).toBeGreaterThan(OUTAGE.fromMs - 60_000);
      expect(workflow.intended_start_ms).toBeLessThan(OUTAGE.toMs);
    }
    const count = (query: string): number => sql.prepare(query).pluck().get(BASE) as number;
    expect(count("SELECT count(*) FROM dead_letters WHERE run_id = ? AND kind = 'workflow'")).toBe(failed.length);
    expect(count("SELECT count(*) FROM events WHERE run_id = ? AND kind = 'compensation'")).toBe(failed.length);
    expect(count(`SELECT sum(json_extract(facts, '$."saga.uncompensated"')) FROM workflows WHERE run_id = ?`)).toBe(0);
  });

  it('with the breaker, every order completes; the breaker opens during the outage and the failing agent is not called while open', () => {
    expect(sql.prepare("SELECT count(*) FROM workflows WHERE run_id = ? AND status = 'failed'").pluck().get(BREAKER)).toBe(0);
    const transitions = sql.prepare("SELECT kind, time_ms FROM events WHERE run_id = ? AND kind LIKE 'breaker.%' ORDER BY seq").all(BREAKER) as { kind: string; time_ms: number }[];
    expect(transitions[0]?.kind).toBe('breaker.open');
    expect(transitions.at(-1)?.kind).toBe('breaker.closed');
    // It opens (and reopens on failed probes) only while the service is down; a probe after it is back closes it.
    for (const transition of transitions.filter((t) => t.kind === 'breaker.open')) {
      expect(transition.time_ms).toBeGreaterThanOrEqual(OUTAGE.fromMs);
      expect(transition.time_ms).toBeLessThan(OUTAGE.toMs);
    }
    expect(transitions.at(-1)!.time_ms).toBeGreaterThanOrEqual(OUTAGE.toMs);
    // Calls the open breaker turned away have no model attempt: the credit-check service was not touched.
    const touched = sql
      .prepare(
        `SELECT count(*) FROM spans a JOIN spans c ON c.trace_id = a.trace_id AND c.parent_span_id = a.span_id
         WHERE a.run_id = ? AND a.agent_name = 'credit-check' AND json_extract(a.attributes, '$."patternbench.breaker.rejected"') = 1
           AND c.operation = 'chat'`,
      )
      .pluck()
      .get(BREAKER);
    expect(touched).toBe(0);
    const rejected = sql
      .prepare(`SELECT count(*) FROM spans WHERE run_id = ? AND json_extract(attributes, '$."patternbench.breaker.rejected"') = 1`)
      .pluck()
      .get(BREAKER) as number;
    expect(rejected).toBeGreaterThan(100);
  });

  it('prints both variants side by side: completion, p95, retries, breaker trips, dead letters and cost', () => {
    const block = first.stdout.slice(first.stdout.indexOf('reliability'));
    const lines = block.split('\n');
    const header = lines[1] ?? '';
    for (const column of ['completed', 'p95', 'retries/wf', 'breaker trips', 'dead letters', 'compensations', 'cost/wf']) expect(header).toContain(column);
    expect(lines[2]).toMatch(/credit-check-outage\/sequential\/base\/seed-31\s+8\d\.\d%/);
    expect(lines[3]).toMatch(/credit-check-outage\/sequential\/breaker-fallback\/seed-31\s+100\.0%/);
    expect(first.code).toBe(1); // the base variant fails its success_rate threshold
  });

  it('same seed, same failures: a second run writes identical rows', async () => {
    const second = await run('second');
    expect(dumpDatabase(second.db, { withoutWallClock: true })).toEqual(dumpDatabase(first.db, { withoutWallClock: true }));
  });
});
