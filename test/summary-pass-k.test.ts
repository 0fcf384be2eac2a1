import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { summarise } from '../reports/summary/summary.ts';
import { formatPassAllK } from '../reports/summary/format.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const P = 0.7;
const K = 3;
const N = 3000;
const scenario = scenarioFromYaml(`
name: repeated
agents:
  solo: { role: answers, model: small-fast, skill: ${P}, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: ${N}, labels: { a: 1, b: 1, c: 1 } }
patterns:
  sequential: { steps: [solo] }
`);

describe('summary pass^k (--repeat k)', () => {
  it('is the share of cases right on all k tries: p^k for independent tries, within a 99.9 % interval', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'patternbench-passk-')), 'passk.db');
    const sink = SqliteSink.open(path);
    await runOnce(scenario, { repeat: K, concurrency: 20, sink });
    await sink.close();
    const db = openDatabase(path, { readonly: true });
    const [row] = summarise(db);
    const byCase = db.prepare('SELECT case_id, min(correct) AS all_right FROM workflows GROUP BY case_id').all() as { all_right: number }[];
    db.close();

    expect(row?.workflows).toBe(N * K);
    expect(row?.cases).toBe(N);
    expect(row?.repeats).toBe(K);
    expect(row?.passAllK).toBe(byCase.filter((entry) => entry.all_right === 1).length / N);
    // Each try is right with p independently (seeded per case and repeat): pass^3 = p³ = 0.343.
    const expected = P ** K;
    expect(Math.abs((row?.passAllK as number) - expected)).toBeLessThanOrEqual(3.2905 * Math.sqrt((expected * (1 - expected)) / N));
    // Accuracy over all tries stays p.
    expect(Math.abs((row?.accuracy as number) - P)).toBeLessThanOrEqual(3.2905 * Math.sqrt((P * (1 - P)) / (N * K)));
    expect(formatPassAllK(row!)).toMatch(/^\d+\.\d% \(k=3\)$/);
    expect(formatPassAllK({ passAllK: 0.5, repeats: 1 })).toBe('–');
  });
});
