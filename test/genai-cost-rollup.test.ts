import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentBreakdown } from '../reports/html/cost.ts';
import { listSeries } from '../reports/html/series.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { rowsOf } from './support/record-scenario.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

// Parallel workers, a synthesis, and faults with retries: attempts that fail and are retried, so a
// call has several `chat` spans and the workflow's total is spread over three span levels.
const worker = (name: string): string => `
  ${name}: { role: worker ${name}, model: mid-tier, outputTokens: { dist: lognormal, p50: 300, p95: 900 },
    faults: { error: 0.15, rateLimit: 0, timeout: 0 }, retry: { attempts: 3, initialBackoff: 100ms, jitter: 0 } }`;
const scenario = scenarioFromYaml(`
name: cost-rollup
agents:${['a', 'b', 'c'].map(worker).join('')}${worker('synth')}
cases:
  generate: { count: 300, labels: { yes: 1, no: 1 } }
patterns:
  fanout: { workers: [a, b, c], merge: vote, synthesis: synth }
`);

const folder = mkdtempSync(join(tmpdir(), 'patternbench-cost-rollup-'));

describe('cost on spans (gen_ai.usage.cost.amount)', () => {
  it("sums, over every span of a run, to the workflows' cost: only model attempts carry it, so nothing counts twice", async () => {
    const path = join(folder, 'rollup.db');
    await runOnce(scenario, { concurrency: 20, sink: SqliteSink.open(path) });

    const levels = rowsOf(path, 'SELECT operation, count(cost_usd) AS priced, count(*) AS spans FROM spans GROUP BY operation ORDER BY operation');
    expect(levels).toEqual([
      { operation: 'chat', priced: levels[0]?.['spans'], spans: levels[0]?.['spans'] },
      { operation: 'invoke_agent', priced: 0, spans: levels[1]?.['spans'] },
      { operation: 'invoke_workflow', priced: 0, spans: 300 },
    ]);
    // Retries happened: more chat spans than agent calls.
    expect(levels[0]?.['spans'] as number).toBeGreaterThan(levels[1]?.['spans'] as number);

    const [totals] = rowsOf(path, `SELECT (SELECT sum(cost_usd) FROM spans) AS spans, (SELECT sum(cost_usd) FROM workflows) AS workflows`);
    const workflows = totals?.['workflows'] as number;
    expect(workflows).toBeGreaterThan(0);
    // Equal up to the order the additions were made in (the workflow adds its attempts as they end,
    // SQL in storage order): 1e-12 of the total, where a double count would be 100 %.
    expect(Math.abs((totals?.['spans'] as number) - workflows)).toBeLessThanOrEqual(1e-12 * workflows);
    const unequal = rowsOf(path, `SELECT w.workflow_id FROM workflows w JOIN spans s ON s.trace_id = w.trace_id
      GROUP BY w.workflow_id HAVING abs(coalesce(sum(s.cost_usd), 0) - max(w.cost_usd)) > 1e-12 * max(w.cost_usd)`);
    expect(unequal).toEqual([]);

    // The attempt's cost is its usage at the model profile's price, in US dollars, estimated.
    const chats = rowsOf(path, `SELECT cost_currency AS currency, cost_source AS source,
      attributes ->> '$."gen_ai.usage.cost"' AS legacy, count(*) AS n FROM spans WHERE operation = 'chat' GROUP BY currency, source, legacy`);
    expect(chats).toEqual([{ currency: 'USD', source: 'estimated', legacy: null, n: levels[0]?.['spans'] }]);

    // The report's cost by agent takes each agent's attempts: the agents' shares add up to the workflow's cost.
    const db = openDatabase(path, { readonly: true });
    try {
      const series = listSeries(db, 'cost-rollup');
      const breakdown = agentBreakdown(db, 'cost-rollup', series);
      expect(breakdown.agents).toEqual(['a', 'b', 'c', 'synth']);
      const perWorkflow = breakdown.costPerWorkflowUsd.reduce((sum, agent) => sum + (agent[0] as number), 0);
      expect(Math.abs(perWorkflow * 300 - workflows)).toBeLessThanOrEqual(1e-12 * workflows);
    } finally {
      db.close();
    }
  });
});
