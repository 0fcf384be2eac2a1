import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { securityFindings } from '../reports/html/security.ts';
import { buildHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';

it('marks the run whose audit chain was edited broken, earlier runs ok and later runs unchecked', async () => {
  const scenario = new URL('../scenarios/support-routing-injection.yaml', import.meta.url).pathname;
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-security-audit-'));
  const original = join(folder, 'original.db');
  expect([0, 1]).toContain(await main(['run', scenario, '--cases', '20', '--db', original, '--no-report', '--quiet'], captureIo()));
  const edited = join(folder, 'edited.db');
  copyFileSync(original, edited);
  const writable = new Database(edited);
  // Runs are verified in run_id order: router/base, router/sanitised, single-agent/base, single-agent/sanitised.
  writable.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'intruder' WHERE run_id = 'support-routing-injection/router/sanitised/seed-11' AND seq = 2`);
  writable.close();

  const db = openDatabase(edited, { readonly: true });
  try {
    const findings = securityFindings(db, summarise(db));
    const status = Object.fromEntries(findings.map((run) => [run.runId.split('/').slice(1, 3).join('/'), run.audit]));
    expect(status).toEqual({ 'router/base': 'ok', 'router/sanitised': 'broken', 'single-agent/base': 'unchecked', 'single-agent/sanitised': 'unchecked' });
    expect(findings.find((run) => run.audit === 'broken')?.auditProblem).toMatch(/^row 2: hash mismatch/);
    const html = buildHtmlReport(db);
    expect(html).toMatch(/<td class="text bad" data-field="audit" data-status="broken">row 2: hash mismatch/);
  } finally {
    db.close();
  }
});
