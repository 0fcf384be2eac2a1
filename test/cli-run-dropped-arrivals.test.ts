import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/support-routing.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-cli-dropped-'));
const load = ['--rate', '50/s', '--duration', '1m', '--arrivals', 'constant', '--max-in-flight', '100', '--pattern', 'single-agent'];

describe('patternbench run with arrivals dropped at the in-flight cap', () => {
  it('counts the dropped arrivals in success and accuracy, and prints them in the summary table', async () => {
    const db = join(folder, 'dropped.db');
    const json = captureIo();
    expect(await main(['run', scenario, ...load, '--db', db, '--no-report', '--no-threshold-gate', '--quiet', '--format', 'json'], json)).toBe(0);
    const [summary] = JSON.parse(json.stdout.join('')) as Record<string, number>[];
    const sqlite = new Database(db, { readonly: true });
    const dropped = sqlite.prepare('SELECT sum(dropped) FROM timeseries').pluck().get() as number;
    const { workflows, completed, correct } = sqlite
      .prepare("SELECT count(*) AS workflows, sum(status = 'completed') AS completed, sum(correct) AS correct FROM workflows")
      .get() as { workflows: number; completed: number; correct: number };
    sqlite.close();

    // 3,000 constant arrivals over the minute; most find 100 workflows in flight.
    expect(workflows + dropped).toBe(3000);
    expect(dropped).toBeGreaterThan(1000);
    expect(summary).toMatchObject({ arrivals: 3000, workflows, dropped, completed });
    expect(summary?.['successRate']).toBe(completed / 3000);
    expect(summary?.['accuracy']).toBe(correct / 3000);

    const table = captureIo();
    await main(['run', scenario, ...load, '--db', join(folder, 'table.db'), '--no-report', '--no-threshold-gate', '--quiet'], table);
    const lines = table.stdout.join('\n').split('\n');
    const header = lines[0] as string;
    const line = lines.find((text) => text.trimStart().startsWith('single-agent')) as string;
    const column = (name: string): string => (line.slice(0, header.indexOf(name) + name.length).trim().split(/\s{2,}/).at(-1) as string);
    expect(column('dropped')).toBe(dropped.toLocaleString('en-US'));
    expect(column('success')).toBe(`${(Math.floor((1000 * completed) / 3000) / 10).toFixed(1)}%`);
    expect(line).not.toContain('100.0%');
  });
});
