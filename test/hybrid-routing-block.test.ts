import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { summariseRouting } from '../reports/summary/routing.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

// A hybrid whose outer pattern is a router routes like a router: the routing block shows it. A
// hybrid with another outer pattern (its nested router's facts are prefixed) has no routing figures.
const N = 300;
const agent = (name: string, skill: number): string => `
  ${name}: { role: ${name}, model: small-fast, skill: ${skill}, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }`;

const scenario = scenarioFromYaml(`
name: hybrid-routing
agents:${agent('classifier', 1)}${agent('s-a', 1)}${agent('s-b', 1)}${agent('check-1', 1)}${agent('check-2', 1)}${agent('intake', 1)}
cases:
  generate: { count: ${N}, labels: { a: 1, b: 1 }, inputTokens: 300 }
patterns:
  hybrid:
    router:
      classifier: classifier
      routes:
        a: s-a
        b: { fanout: { workers: [check-1, check-2], merge: vote } }
      sendBack: false
`);

const chained = scenarioFromYaml(`
name: hybrid-chain-of-router
agents:${agent('classifier', 1)}${agent('s-a', 1)}${agent('s-b', 1)}${agent('intake', 1)}
cases:
  generate: { count: 50, labels: { a: 1, b: 1 }, inputTokens: 300 }
patterns:
  hybrid:
    sequential:
      steps:
        - intake
        - router: { classifier: classifier, routes: { a: s-a, b: s-b }, sendBack: false }
`);

describe('the routing block of a hybrid', () => {
  it('holds a hybrid whose outer pattern is a router, with every case classified (a classifier of skill 1 is always right)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'patternbench-hybrid-routing-')), 'routing.db');
    await runOnce(scenario, { pattern: 'hybrid', concurrency: 20, sink: SqliteSink.open(path) });
    const db = openDatabase(path, { readonly: true });
    const runs = summariseRouting(db);
    db.close();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.labels).toEqual(['a', 'b']);
    expect(runs[0]?.classified).toBe(N);
    expect(runs[0]?.correct).toBe(N);
    expect(runs[0]?.unclassified).toBe(0);
  });

  it('leaves out a hybrid whose outer pattern is not a router', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'patternbench-hybrid-routing-')), 'chain.db');
    await runOnce(chained, { pattern: 'hybrid', concurrency: 20, sink: SqliteSink.open(path) });
    const db = openDatabase(path, { readonly: true });
    expect(summariseRouting(db)).toEqual([]);
    db.close();
  });
});
