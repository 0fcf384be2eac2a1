import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { buildHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

it('leaves the security table out of the report when no run recorded injections, denials, residency flows or audit rows', async () => {
  const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
  const db = join(mkdtempSync(join(tmpdir(), 'patternbench-security-hidden-')), 'legal-review.db');
  expect([0, 1]).toContain(await main(['run', scenario, '--db', db, '--no-report', '--quiet'], captureIo()));
  const sqlite = openDatabase(db, { readonly: true });
  try {
    const recorded = sqlite.prepare(`SELECT (SELECT count(*) FROM audit) + (SELECT count(*) FROM events WHERE kind = 'tool.denied') AS n`).get() as { n: number };
    expect(recorded.n).toBe(0);
    const html = buildHtmlReport(sqlite);
    expect(html).toContain('id="matrix-0"');
    expect(html).not.toContain('<h3>Security</h3>');
    expect(html).not.toMatch(/id="security-\d+"/);
  } finally {
    sqlite.close();
  }
});
