import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-audit-verify-'));
// The shipped legal review with its audit trail turned on (a plain comparison does not audit by default).
const scenario = join(folder, 'legal-review-audited.yaml');
writeFileSync(scenario, `${readFileSync(new URL('../scenarios/legal-review.yaml', import.meta.url), 'utf8')}\naudit: on\n`);
const original = join(folder, 'original.db');
const runId = 'legal-review/sequential/base/seed-42';
let rows = 0;

beforeAll(async () => {
  const code = await main(['run', scenario, '--pattern', 'sequential', '--cases', '6', '--db', original, '--no-report', '--quiet'], captureIo());
  expect(code).toBe(0);
  const db = new Database(original, { readonly: true });
  rows = db.prepare('SELECT count(*) FROM audit WHERE run_id = ?').pluck().get(runId) as number;
  db.close();
});

/** A copy of the untouched file with `tamper` applied (the append-only triggers dropped first). */
function tampered(name: string, tamper: string): string {
  const path = join(folder, `${name}.db`);
  copyFileSync(original, path);
  const db = new Database(path);
  db.exec(`DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; ${tamper}`);
  db.close();
  return path;
}

async function verify(path: string): Promise<{ code: number; out: string }> {
  const io = captureIo();
  const code = await main(['audit', 'verify', path], io);
  return { code, out: io.stdout.join('\n') };
}

describe('patternbench audit verify', () => {
  it('passes an untouched file', async () => {
    expect(rows).toBeGreaterThan(20);
    const { code, out } = await verify(original);
    expect(code).toBe(0);
    expect(out).toMatch(/^ok: \d+ audit rows in 1 runs/);
  });

  it.each([
    ['an edited middle row', 'middle', (seq: number) => `UPDATE audit SET decision = 'deny' WHERE run_id = '${runId}' AND seq = ${seq}`],
    ['an edited last row', 'last', (seq: number) => `UPDATE audit SET detail = '{}' WHERE run_id = '${runId}' AND seq = ${seq}`],
    ['a deleted middle row', 'middle', (seq: number) => `DELETE FROM audit WHERE run_id = '${runId}' AND seq = ${seq}`],
    ['a deleted last row', 'last', (seq: number) => `DELETE FROM audit WHERE run_id = '${runId}' AND seq = ${seq}`],
  ])('fails on %s, naming it', async (_what, where, sql) => {
    const seq = where === 'middle' ? Math.floor(rows / 2) : rows - 1;
    const { code, out } = await verify(tampered(`${where}-${sql(0).slice(0, 6)}`, sql(seq)));
    expect(code).toBe(1);
    expect(out).toContain(`run ${runId}, seq ${seq}:`);
  });

  it('refuses edits while the append-only triggers are in place', () => {
    const db = new Database(join(folder, 'original.db'));
    expect(() => db.prepare(`DELETE FROM audit WHERE run_id = ? AND seq = 0`).run(runId)).toThrow(/append-only/);
    db.close();
  });
});
