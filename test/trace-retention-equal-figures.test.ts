/**
 * `--traces tail` against `--traces all` on the shipped suite (every scenario, few cases; the peak
 * scenario's open load shortened), same seeds: every summary, report, threshold and compare figure
 * is the same — the span metrics fold every span, kept or not — while the tail file holds fewer
 * spans; the summary says how many traces each tail run kept; and the HTML report, its waterfalls
 * included, is drawn from the traces that were kept.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import { compareDatabases } from '../reports/compare/compare.ts';
import { collectReportData } from '../reports/html/data.ts';
import { openDatabase, type Db } from '../reports/store/schema.ts';
import { recordedThresholds, summariseResults } from '../reports/summary/blocks.ts';
import { evaluateThresholds } from '../reports/summary/threshold-eval.ts';
import { describeTraces, summariseTraces } from '../reports/summary/traces.ts';
import { captureIo } from './support/capture-io.ts';

const scenarios = new URL('../scenarios', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-trace-retention-'));
const CLOSED = ['claims-glossary', 'claims-hybrid', 'credit-check-outage', 'due-diligence', 'insurance-claim', 'legal-review', 'market-research', 'support-routing', 'support-routing-injection', 'triage-router'];
const THRESHOLDS = ['p50(latency) < 1s', 'p95(service) < 30s', 'max(queue_wait) < 1s', 'mean(latency) < 10s', 'accuracy > 0.9', 'success_rate > 0.9', 'error_rate < 0.05',
  'dropped_rate < 0.01', 'cost_per_workflow < 0.01', 'cost_per_correct < 0.01', 'tokens_per_workflow < 5000', 'retries_per_workflow < 0.1', 'throughput > 1']
  .map((text) => ({ spec: parseThresholdOrThrow(text), source: 'cli' as const }));

/** Runs the suite into `<name>-closed.db` and `<name>-peak.db` with `--traces <traces>`, merged into `<name>.db`; returns the run's stderr. */
async function runSuite(name: string, traces: string): Promise<string[]> {
  const closed = join(folder, `${name}-closed.db`);
  const peak = join(folder, `${name}-peak.db`);
  const quiet = ['--no-threshold-gate', '--traces', traces, '--format', 'json'];
  const io = captureIo();
  expect(await main(['run', ...CLOSED.map((scenario) => join(scenarios, `${scenario}.yaml`)), '--cases', '25', '--db', closed, '--quiet', '--no-report', ...quiet], io)).toBe(0);
  expect(await main(['run', join(scenarios, 'support-routing-peak.yaml'), '--rate', '20/s', '--duration', '30s', '--db', peak, ...quiet], io)).toBe(0);
  expect(await main(['merge', join(folder, `${name}.db`), closed, peak], captureIo())).toBe(0);
  return io.stderr;
}

function withDb<T>(name: string, read: (db: Db) => T): T {
  const db = openDatabase(join(folder, name), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Every figure of the summary (but the traces block), the report (but the waterfalls) and the thresholds. */
function figures(db: Db) {
  const report = collectReportData(db);
  const { traces: _traces, ...summary } = summariseResults(db, recordedThresholds(db));
  return {
    summary,
    report: { ...report, scenarios: report.scenarios.map((scenario) => ({ ...scenario, waterfalls: [] })) },
    thresholds: evaluateThresholds(db, THRESHOLDS),
  };
}

describe('--traces tail against --traces all, same seeds', () => {
  let tailErr: string[] = [];
  beforeAll(async () => {
    await runSuite('all', 'all');
    tailErr = await runSuite('tail', 'tail:0.05');
  }, 120_000);

  it('gives every summary, report, threshold and compare figure of --traces all, from fewer spans', () => {
    const all = withDb('all.db', (db) => ({ figures: figures(db), spans: db.prepare('SELECT count(*) FROM spans').pluck().get() as number }));
    const tail = withDb('tail.db', (db) => ({ figures: figures(db), spans: db.prepare('SELECT count(*) FROM spans').pluck().get() as number }));
    expect(tail.spans).toBeLessThan(all.spans);
    expect(tail.spans).toBeGreaterThan(0);
    expect(tail.figures).toEqual(all.figures);
    const compared = withDb('tail.db', (tailDb) => withDb('all.db', (allDb) => [compareDatabases(tailDb, allDb), compareDatabases(allDb, allDb)]));
    expect(compared[0]).toEqual(compared[1]);
  });

  it('says in the summary how many traces each tail run kept, of how many, and why; nothing for --traces all', () => {
    const traces = withDb('tail.db', (db) => summariseResults(db, null).traces);
    const runs = withDb('tail.db', (db) => db.prepare('SELECT run_id, count(*) AS workflows FROM workflows GROUP BY run_id').all() as { run_id: string; workflows: number }[]);
    expect(traces.map((run) => run.runId).sort()).toEqual(runs.map((run) => run.run_id).sort());
    const kept = withDb('tail.db', (db) => new Map((db.prepare('SELECT run_id, count(DISTINCT trace_id) AS n FROM spans GROUP BY run_id').all() as { run_id: string; n: number }[]).map((row) => [row.run_id, row.n])));
    for (const run of traces) {
      expect({ run: run.runId, policy: run.policy, workflows: run.workflows, kept: run.kept }).toEqual({
        run: run.runId,
        policy: 'tail:0.05',
        workflows: runs.find((row) => row.run_id === run.runId)?.workflows,
        kept: kept.get(run.runId) ?? 0,
      });
    }
    expect(withDb('all.db', (db) => summariseResults(db, null).traces)).toEqual([]);
    // The terminal summary of the run printed the block (stdout is JSON here: the summary command prints it as a table).
    const io = captureIo();
    return main(['summary', join(folder, 'tail.db')], io).then((code) => {
      expect(code).toBe(0);
      const text = io.stdout.join('\n');
      expect(text).toContain('traces (every span counts in the figures above; these runs stored the traces listed):');
      expect(text).toMatch(/\n {2}legal-review\/sequential\/base\/seed-42: kept \d+ of 25 \(tail, 5 % sampled: [^)\n]*sampled \d+\)\n/);
      // No run defaulted to tail: no notice.
      expect(tailErr.join('\n')).not.toContain('the default for open loads');
    });
  });

  it('draws the report, each waterfall from a trace that was kept', async () => {
    const report = join(folder, 'tail.html');
    expect(await main(['report', join(folder, 'tail.db'), '--out', report], captureIo())).toBe(0);
    expect(existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('legal-review');
    // The page says which runs kept only some traces, and how many, as the summary does.
    const tails = withDb('tail.db', (db) => summariseTraces(db));
    expect(tails.length).toBeGreaterThan(0);
    for (const run of tails) expect(html).toContain(`${run.runId}: ${describeTraces(run)}`);
    const waterfalls = withDb('tail.db', (db) => collectReportData(db).scenarios.flatMap((scenario) => scenario.waterfalls));
    expect(waterfalls.length).toBeGreaterThan(10);
    for (const waterfall of waterfalls) expect({ trace: waterfall.traceId, drawn: waterfall.spans.length > 0 }).toEqual({ trace: waterfall.traceId, drawn: true });
  });
});
