import { describe, expect, it } from 'vitest';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { summarise } from '../reports/summary/summary.ts';

describe('summarise order', () => {
  it('gives one row per run, ordered by scenario, pattern, variant, then seed as a number', () => {
    const sink = SqliteSink.open(':memory:');
    const cells: [string, string, string, number][] = [
      ['triage', 'sequential', 'base', 10],
      ['triage', 'sequential', 'base', 2],
      ['triage', 'fanout', 'tiered', 1],
      ['alpha', 'supervisor', 'base', 1],
      ['triage', 'fanout', 'base', 1],
    ];
    cells.forEach(([scenario, pattern, variant, seed], index) =>
      sink.beginRun({ runId: `r${index}`, scenario, pattern, variant, seed, epochMs: 0, config: '{}', startedAt: 'x' }),
    );
    expect(summarise(sink.db).map((row) => [row.scenario, row.pattern, row.variant, row.seed])).toEqual([
      ['alpha', 'supervisor', 'base', 1],
      ['triage', 'fanout', 'base', 1],
      ['triage', 'fanout', 'tiered', 1],
      ['triage', 'sequential', 'base', 2],
      ['triage', 'sequential', 'base', 10],
    ]);
    sink.db.close();
  });
});
