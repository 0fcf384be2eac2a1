// Every point of a sweep runs on the same cases and random streams (common random numbers): two
// points that differ only in a value a pattern does not use give that pattern identical rows —
// workflows and spans alike, but for the ids that name the run. In support routing the single
// agent never calls the ticket classifier, and the keyword-rules variant sets the classifier's
// skill itself, so sweeping the classifier's skill leaves both untouched while the LLM-classified
// router changes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/support-routing.yaml', import.meta.url).pathname;

/** A run's workflows and spans without the columns that name the run (run id, trace and span ids). */
function runRows(path: string, runId: string): { workflows: unknown[]; spans: unknown[] } {
  const db = openDatabase(path, { readonly: true });
  try {
    const workflows = db.prepare('SELECT * FROM workflows WHERE run_id = ? ORDER BY workflow_id').all(runId) as Record<string, unknown>[];
    const spans = db.prepare('SELECT * FROM spans WHERE run_id = ? ORDER BY workflow_id, start_ms, name, end_ms').all(runId) as Record<string, unknown>[];
    const strip = ({ run_id: _run, trace_id: _trace, span_id: _span, parent_span_id: _parent, ...rest }: Record<string, unknown>): Record<string, unknown> => rest;
    return { workflows: workflows.map(strip), spans: spans.map(strip) };
  } finally {
    db.close();
  }
}

describe('sweep points', () => {
  it('share cases and draws: a pattern that does not use the swept value writes identical rows at both points', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-crn-'));
    const db = join(folder, 'crn.db');
    const io = captureIo();
    const code = await main(['sweep', scenario, '--vary', 'agents.ticket-classifier.skill=0.6,0.95', '--cases', '150', '--db', db, '--quiet', '--no-report', '--format', 'json'], io);
    expect(code, io.stderr.join('\n')).toBe(0);

    for (const [pattern, variant] of [['single-agent', 'base'], ['router', 'keyword-rules']] as const) {
      const low = runRows(db, `support-routing/${pattern}/${variant}@p0/seed-7`);
      const high = runRows(db, `support-routing/${pattern}/${variant}@p1/seed-7`);
      expect(low.workflows).toHaveLength(150);
      expect(low.spans.length).toBeGreaterThan(150);
      expect(high).toEqual(low);
    }
    // The router that calls the classifier does change: its routing is right more often at 0.95.
    const low = runRows(db, 'support-routing/router/base@p0/seed-7');
    const high = runRows(db, 'support-routing/router/base@p1/seed-7');
    const correct = (rows: unknown[]): number => rows.filter((row) => (row as { correct: number | null }).correct === 1).length;
    expect(correct(high.workflows)).toBeGreaterThan(correct(low.workflows));
    // …and on the same cases: the two runs' workflows go through the same case list in the same order.
    expect(high.workflows.map((row) => (row as { case_id: string }).case_id)).toEqual(low.workflows.map((row) => (row as { case_id: string }).case_id));
  });
});
