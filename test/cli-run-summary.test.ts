import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-cli-'));

describe('patternbench run', () => {
  it('stores every workflow and span, and prints a summary equal to the database', async () => {
    const db = join(folder, 'summary.db');
    const io = captureIo();
    const code = await main(['run', scenario, '--cases', '120', '--concurrency', '8', '--pattern', 'sequential', '--db', db, '--format', 'json', '--quiet'], io);
    expect(code).toBe(0);
    const [summary] = JSON.parse(io.stdout.join('')) as Record<string, number | string>[];

    const sqlite = new Database(db, { readonly: true });
    const totals = sqlite
      .prepare(
        `SELECT count(*) AS workflows, sum(status = 'completed') AS completed, sum(correct) AS correct, count(correct) AS scored,
                sum(cost_usd) AS cost, sum(agent_calls) AS agent_calls, sum(model_attempts) AS model_attempts
         FROM workflows`,
      )
      .get() as Record<string, number>;
    const spans = Object.fromEntries(
      (sqlite.prepare('SELECT operation, count(*) AS n FROM spans GROUP BY operation').all() as { operation: string; n: number }[]).map(
        (row) => [row.operation, row.n],
      ),
    );
    const latencies = sqlite.prepare('SELECT latency_ms FROM workflows ORDER BY latency_ms').pluck().all() as number[];
    sqlite.close();

    expect(totals['workflows']).toBe(120);
    // One invoke_workflow root per workflow, one invoke_agent span per agent call, one chat span per
    // model attempt, and the tool calls of the agents that have tools.
    expect(spans['invoke_workflow']).toBe(120);
    expect(spans['invoke_agent']).toBe(totals['agent_calls']);
    expect(spans['chat']).toBe(totals['model_attempts']);
    expect(spans['execute_tool']).toBeGreaterThanOrEqual(2 * 120);
    expect(summary?.['workflows']).toBe(120);
    expect(summary?.['completed']).toBe(totals['completed']);
    // Correct of all 120 workflows (failed ones count as not correct); of the completed ones beside it.
    expect(summary?.['accuracy']).toBeCloseTo((totals['correct'] as number) / (120 - (totals['completed'] as number) + (totals['scored'] as number)), 12);
    expect(summary?.['accuracyCompleted']).toBeCloseTo((totals['correct'] as number) / (totals['scored'] as number), 12);
    expect(summary?.['meanCostUsd']).toBeCloseTo((totals['cost'] as number) / 120, 12);
    expect(summary?.['latencyP95Ms']).toBe(latencies[Math.ceil(0.95 * 120) - 1]);
  });

  it('prints the table with the pattern side by side and the results path', async () => {
    const db = join(folder, 'table.db');
    const io = captureIo();
    expect(await main(['run', scenario, '--cases', '20', '--db', db], io)).toBe(0);
    const table = io.stdout.join('\n');
    expect(table).toMatch(/legal-review/);
    expect(table).toMatch(/sequential/);
    expect(table).toMatch(/p95/);
    expect(io.stderr.join('\n')).toContain(`results: ${db}`);
  });

  it('refuses to replace an existing --db without --overwrite (exit 2)', async () => {
    const db = join(folder, 'existing.db');
    expect(await main(['run', scenario, '--cases', '5', '--db', db, '--quiet'], captureIo())).toBe(0);
    const io = captureIo();
    expect(await main(['run', scenario, '--cases', '5', '--db', db, '--quiet'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--overwrite');
    expect(await main(['run', scenario, '--cases', '5', '--db', db, '--quiet', '--overwrite'], captureIo())).toBe(0);
  });

  it('rejects bad flags with exit 2', async () => {
    expect(await main(['run', scenario, '--cases', '-3'], captureIo())).toBe(2);
    expect(await main(['run', scenario, '--pattern', 'pipeline'], captureIo())).toBe(2);
  });
});
