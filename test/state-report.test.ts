import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { openDatabase, type Db } from '../reports/store/schema.ts';
import { formatResults, summariseResults } from '../reports/summary/blocks.ts';
import { formatStateBlock } from '../reports/summary/levers/state.ts';
import { captureIo } from './support/capture-io.ts';

/**
 * The state block and the report's state section, on the shipped scenario
 * (scenarios/state-strategies.yaml): one row per run, the strategy each variant set, the figures
 * of the summary table restated, and each strategy's own figures read back from the file.
 */

const scenarios = new URL('../scenarios', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-state-report-'));
const db = join(folder, 'state.db');
/** The HTML report `run` writes beside its results file. */
const html = join(folder, 'state.html');
let stdout = '';

beforeAll(async () => {
  const io = captureIo();
  expect(await main(['run', join(scenarios, 'state-strategies.yaml'), '--db', db], io)).toBe(0);
  stdout = io.stdout.join('\n');
}, 60_000);

function withDb<T>(read: (db: Db) => T): T {
  const handle = openDatabase(db, { readonly: true });
  try {
    return read(handle);
  } finally {
    handle.close();
  }
}

describe('the state block', () => {
  it('has one row per run with the strategy of its variant, and the summary table\'s latency, tokens, cost and accuracy', () => {
    const { state, runs } = withDb((handle) => summariseResults(handle, null));
    expect(state.map((run) => [run.variant, run.strategy])).toEqual([
      ['base', 'central'],
      ['bus', 'bus'],
      ['free-passing', 'central'],
      ['retrieval', 'retrieval'],
    ]);
    for (const run of state) {
      const row = runs.find((summary) => summary.runId === run.runId);
      expect([run.latencyP50Ms, run.latencyP95Ms, run.meanTokens, run.meanCostUsd, run.accuracy]).toEqual([row?.latencyP50Ms, row?.latencyP95Ms, row?.meanTokens, row?.meanCostUsd, row?.accuracy]);
    }
  });

  it('reads each strategy\'s own figures from the file: a chain of 4 is 8 messages and 4 queries per workflow', () => {
    const { state } = withDb((handle) => summariseResults(handle, null));
    const [central, bus, free, retrieval] = state;
    expect(bus?.messagesPerWorkflow).toBe(8);
    expect(retrieval?.queriesPerWorkflow).toBe(4);
    // Retrieval cuts every call's input to prompt + 6 × 500 tokens: the state's own size no longer counts.
    expect(retrieval?.meanTokens).toBeLessThan((central?.meanTokens ?? 0) / 2);
    expect(free?.serialiserUtilisation).toBeNull();
    const { serialise, span } = withDb((handle) =>
      handle
        .prepare(`SELECT sum(json_extract(w.facts, '$."state.serialise_ms"')) AS serialise, max(w.intended_start_ms) - min(w.intended_start_ms) AS span
                  FROM workflows w JOIN runs r ON r.run_id = w.run_id WHERE r.variant = 'base'`)
        .get() as { serialise: number; span: number },
    );
    expect(central?.serialiserUtilisation).toBeCloseTo(serialise / span, 12);
    // The serialiser queues (peak in the queue series) and the bus lags, under the scenario's open load.
    expect(central?.peakQueue).toBeGreaterThan(1);
    expect(bus?.peakQueue).toBeGreaterThan(1);
  });

  it('is printed after the load block by run, and not at all for a file with no state: section', () => {
    expect(stdout).toContain('state (how agents share state: central passing, a message bus, or retrieval from a shared store):');
    const text = withDb((handle) => formatResults(summariseResults(handle, null), 'table')).join('\n');
    expect(text.indexOf('\nstate (')).toBeGreaterThan(text.indexOf('\nload ('));
    expect(formatStateBlock([])).toBe('');
  });
});

describe('the report\'s state section', () => {
  it('shows each run\'s figures with their raw values, beside the queue chart\'s state:serialiser and state:bus lines', () => {
    const page = readFileSync(html, 'utf8');
    const { state } = withDb((handle) => summariseResults(handle, null));
    expect(page).toContain('<h3>State</h3>');
    for (const run of state) {
      const start = page.indexOf(`<tr data-run-id="${run.runId}"`, page.indexOf('<h3>State</h3>'));
      const row = page.slice(start, page.indexOf('</tr>', start));
      expect(row).toContain(`data-field="tokens_per_workflow" data-value="${run.meanTokens}"`);
      expect(row).toContain(`data-field="accuracy" data-value="${run.accuracy}"`);
      expect(row).toContain(`<td class="text">${run.strategy}</td>`);
    }
    expect(page).toContain('state:serialiser');
    expect(page).toContain('state:bus');
  });
});
