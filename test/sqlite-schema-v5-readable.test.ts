import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { agentBreakdown } from '../reports/html/cost.ts';
import { buildHtmlReport } from '../reports/html/report.ts';
import { listSeries } from '../reports/html/series.ts';
import { openDatabase, SCHEMA_VERSION } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { summariseRouting } from '../reports/summary/routing.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/support-routing.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-v5-'));

describe('a version-5 results file (no workflows.expected, cost on every span level)', () => {
  it('is read by summary, routing and the report, and refused for appending', async () => {
    const path = join(folder, 'v5.db');
    expect(await main(['run', scenario, '--cases', '40', '--pattern', 'router', '--variant', 'base', '--db', path, '--quiet', '--no-report'], captureIo())).toBe(0);
    const writable = new Database(path);
    // What version 5 wrote: no expected outcome, no classifier label, no cost currency or source, and
    // on each agent call and root span the total cost of the attempts below it (spans kept as a
    // table with the view's columns, as the readers see them).
    writable.exec(`ALTER TABLE workflows DROP COLUMN expected;
      UPDATE workflows SET facts = json_remove(facts, '$."router.label"', '$."router.confidence"', '$."router.rerouted_label"');
      CREATE TABLE spans_v5 AS SELECT run_id, trace_id, span_id, parent_span_id, workflow_id, name, kind, start_ms, end_ms, status,
        status_message, operation, agent_name, agent_id, provider, request_model, input_tokens, output_tokens, cached_tokens, cost_usd,
        error_type, session_id, attributes, events FROM spans;
      UPDATE spans_v5 SET cost_usd = (SELECT coalesce(sum(c.cost_usd), 0) FROM spans_v5 c WHERE c.parent_span_id = spans_v5.span_id AND c.operation = 'chat')
        WHERE operation = 'invoke_agent';
      UPDATE spans_v5 SET cost_usd = (SELECT w.cost_usd FROM workflows w WHERE w.trace_id = spans_v5.trace_id) WHERE operation = 'invoke_workflow';
      DROP VIEW spans; DROP TABLE span_rows; DROP TABLE strings; ALTER TABLE spans_v5 RENAME TO spans;
      UPDATE meta SET value = '5' WHERE key = 'schema_version'`);
    writable.close();

    const db = openDatabase(path, { readonly: true });
    try {
      expect(summarise(db).map((row) => [row.pattern, row.workflows])).toEqual([['router', 40]]);
      expect(summariseRouting(db)).toEqual([]);
      expect(buildHtmlReport(db, 'v5.db')).toContain('support-routing');
      // The report's cost by agent takes the model attempts only: no level is counted twice.
      const breakdown = agentBreakdown(db, 'support-routing', listSeries(db, 'support-routing'));
      const perWorkflow = breakdown.costPerWorkflowUsd.reduce((sum, agent) => sum + (agent[0] as number), 0);
      const total = db.prepare('SELECT sum(cost_usd) FROM workflows').pluck().get() as number;
      expect(Math.abs(perWorkflow * 40 - total)).toBeLessThanOrEqual(1e-12 * total);
    } finally {
      db.close();
    }
    expect(() => SqliteSink.open(path)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_MISMATCH', message: expect.stringContaining(`writes version ${SCHEMA_VERSION}, and reads 5 but does not add to it`) }),
    );
  });
});
