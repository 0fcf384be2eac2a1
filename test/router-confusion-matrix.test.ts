import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { formatRoutingBlock, summariseRouting } from '../reports/summary/routing.ts';
import { rowsOf } from './support/record-scenario.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const A = 0.85;
const N = 4000;
const LABELS = ['a', 'b', 'c', 'd'];
const specialist = (name: string): string => `
  ${name}: { role: specialist ${name}, model: small-fast, skill: 1, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }`;

const scenario = scenarioFromYaml(`
name: router-confusion
agents:
  classifier:
    role: picks the specialist
    model: bert-classifier
    promptTokens: 0
    skill: ${A}
    latency: 20ms
    faults: { error: 0, timeout: 0, rateLimit: 0 }${LABELS.map((label) => specialist(`s-${label}`)).join('')}
cases:
  generate: { count: ${N}, labels: { a: 1, b: 1, c: 1, d: 1 }, inputTokens: 300 }
patterns:
  router:
    classifier: classifier
    routes: { a: s-a, b: s-b, c: s-c, d: s-d }
    sendBack: false
`);

const folder = mkdtempSync(join(tmpdir(), 'patternbench-routing-'));

describe("router's confusion matrix", () => {
  it(`has a diagonal share equal to the classifier's accuracy a = ${A}, within a 99.9 % binomial interval`, async () => {
    const path = join(folder, 'routing.db');
    await runOnce(scenario, { concurrency: 50, sink: SqliteSink.open(path) });

    // The case's expected outcome and the classifier's label are stored per workflow.
    const stored = rowsOf(path, `SELECT json_extract(expected, '$.label') AS expected, json_extract(facts, '$."router.label"') AS routed,
      json_extract(facts, '$."router.confidence"') AS confidence FROM workflows`);
    expect(stored).toHaveLength(N);
    for (const row of stored) {
      expect(LABELS).toContain(row['expected']);
      expect(LABELS).toContain(row['routed']);
      expect(row['confidence']).toBeGreaterThanOrEqual(0.3);
      expect(row['confidence']).toBeLessThan(1);
    }

    const db = openDatabase(path, { readonly: true });
    const [run, ...others] = summariseRouting(db);
    db.close();
    expect(others).toEqual([]);
    expect(run?.labels).toEqual(LABELS);
    expect(run?.classified).toBe(N);
    expect(run?.unclassified).toBe(0);
    const matrix = run?.matrix ?? [];
    const diagonal = LABELS.reduce((sum, _, index) => sum + (matrix[index]?.[index] ?? 0), 0);
    expect(run?.correct).toBe(diagonal);
    expect(run?.accuracy).toBe(diagonal / N);
    // Each row holds the workflows of one expected label: their count is the cases of that label.
    const byLabel = rowsOf(path, "SELECT json_extract(expected, '$.label') AS label, count(*) AS n FROM workflows GROUP BY label ORDER BY label");
    expect(matrix.map((row) => row.reduce((sum, n) => sum + n, 0))).toEqual(byLabel.map((row) => row['n']));
    // 99.9 % two-sided normal interval: a ± 3.2905 √(a(1 − a)/n) = 0.85 ± 0.0186.
    const half = 3.2905 * Math.sqrt((A * (1 - A)) / N);
    expect(Math.abs(diagonal / N - A)).toBeLessThanOrEqual(half);
    // A wrong label is one of the three others, uniformly: each off-diagonal cell holds (1 − a)/3 of
    // its row. With ~1,000 cases a row, 4 standard deviations (≈ 1 in 16,000 per cell) is ±0.045.
    for (const [index, row] of matrix.entries()) {
      const total = row.reduce((sum, n) => sum + n, 0);
      for (const [column, n] of row.entries()) {
        if (column === index) continue;
        const share = (1 - A) / 3;
        expect(Math.abs(n / total - share)).toBeLessThanOrEqual(4 * Math.sqrt((share * (1 - share)) / total));
      }
    }
  });

  it('prints the accuracy and the matrix, one row per expected label', () => {
    const block = formatRoutingBlock([
      { runId: 'desk/router/base/seed-1', labels: ['billing', 'technical'], matrix: [[90, 10], [5, 95]], classified: 200, correct: 185, accuracy: 0.925, accuracyLo: 0.88, accuracyHi: 0.954, unclassified: 3 },
    ]);
    expect(block.split('\n')).toEqual([
      '',
      '',
      "routing (router runs: the classifier's label against the case's expected label):",
      '  desk/router/base/seed-1: accuracy 92.5% [88.0–95.4] of 200 classified · 3 not classified',
      '    expected \\ routed  billing  technical',
      '    billing                 90         10',
      '    technical                5         95',
    ]);
    expect(formatRoutingBlock([])).toBe('');
  });
});
