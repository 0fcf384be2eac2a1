import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { verifyAudit } from '../reports/store/audit-verify.ts';
import { writeHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { residencyFlows } from '../reports/summary/residency.ts';
import { summariseSecurity, type RunSecurity } from '../reports/summary/security.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';
import { closeReport, expectCleanPage, openReport, type OpenedReport } from './support/report-browser.ts';

const scenario = new URL('../scenarios/support-routing-injection.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-security-'));
const db = join(folder, 'support-routing-injection.db');
const html = join(folder, 'support-routing-injection.html');

/** A row of the security table: its run, numeric cells by `data-field`, denied calls, residency flows and audit status. */
interface PageRow {
  readonly runId: string;
  readonly values: Record<string, string>;
  readonly denied: [string, string, number][];
  readonly residency: number;
  readonly audit: string;
}

describe('the HTML report of a run with prompt injections and RBAC denials, in headless Chromium', () => {
  let report: OpenedReport;
  let security: RunSecurity[];
  let auditRows: Map<string, number>;
  let auditOk: boolean;
  let flows: number;
  beforeAll(async () => {
    expect([0, 1]).toContain(await main(['run', scenario, '--db', db, '--no-report', '--quiet'], captureIo()));
    const sqlite = openDatabase(db, { readonly: true });
    security = summariseSecurity(sqlite, summarise(sqlite));
    const counted = sqlite.prepare('SELECT run_id, count(*) AS n FROM audit GROUP BY run_id').all() as { run_id: string; n: number }[];
    auditRows = new Map(counted.map((row) => [row.run_id, row.n]));
    auditOk = verifyAudit(sqlite).problem === null;
    flows = residencyFlows(sqlite).length;
    sqlite.close();
    await writeHtmlReport(db, html);
    report = await openReport(html);
  });
  afterAll(async () => {
    await closeReport(report);
  });

  it('draws every chart with no console error, CSP violation or network request', async () => {
    expect((await expectCleanPage(report)).length).toBeGreaterThan(0);
  });

  it('shows the security figures summariseSecurity computes from the database, run by run', async () => {
    // The scenario exercises the columns worth checking: injections reaching elevated agents, sanitising, denials.
    for (const field of ['injectedCases', 'reachedElevated', 'sanitised', 'privilegedCalls'] as const) {
      expect(security.some((run) => run[field] > 0), field).toBe(true);
    }
    expect(security.some((run) => run.denied.length > 0)).toBe(true);
    const rows: PageRow[] = await report.page.$$eval('#security-0 tbody tr', (trs) =>
      trs.map((tr) => ({
        runId: tr.getAttribute('data-run-id') ?? '',
        values: Object.fromEntries([...tr.querySelectorAll('td[data-value]')].map((td) => [td.getAttribute('data-field') ?? '', td.getAttribute('data-value') ?? ''])),
        denied: [...tr.querySelectorAll('td[data-field="denied"] span')].map(
          (span) => [span.getAttribute('data-agent') ?? '', span.getAttribute('data-tool') ?? '', Number(span.getAttribute('data-value'))] as [string, string, number],
        ),
        residency: tr.querySelectorAll('td[data-field="residency"] span').length,
        audit: tr.querySelector('td[data-field="audit"]')?.getAttribute('data-status') ?? '',
      })),
    );
    expect(rows.map((row) => row.runId)).toEqual(security.map((run) => run.runId));
    for (const run of security) {
      const row = rows.find((candidate) => candidate.runId === run.runId) as PageRow;
      expect(row.values, run.runId).toEqual({
        injectedCases: String(run.injectedCases),
        reachedElevated: String(run.reachedElevated),
        reachedOfWorkflows: String(run.reachedElevated / run.workflows),
        reachedOfInjected: run.injectedCases === 0 ? '' : String(run.reachedElevated / run.injectedCases),
        sanitised: String(run.sanitised),
        privilegedCalls: String(run.privilegedCalls),
        deniedCalls: String(run.denied.reduce((sum, item) => sum + item.denied, 0)),
        residencyCalls: '0',
        auditRows: String(auditRows.get(run.runId) ?? 0),
      });
      expect(row.denied, `${run.runId} denied`).toEqual(run.denied.map((item) => [item.agent, item.tool, item.denied]));
      expect(row.residency).toBe(0);
      expect(row.audit).toBe('ok');
    }
    // The file holds an intact audit trail and no residency flow, so every row says so.
    expect(auditOk).toBe(true);
    expect(flows).toBe(0);
    expect([...auditRows.values()].every((rows) => rows > 0)).toBe(true);
  });
});
