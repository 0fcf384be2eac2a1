// A collector that cannot be reached fails the export, not the run: the results file is complete,
// the summary is printed, and the export error follows it (exit 1).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { startOtlpReceiver } from './support/otlp-receiver.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-otlp-failure-'));

describe('run --otlp to a collector that refuses every batch', () => {
  it('prints the summary, then EXPORT_FAILED, and exits 1 with the results file complete', async () => {
    const db = join(folder, 'down.db');
    const receiver = await startOtlpReceiver();
    // 500 is not retryable for the exporter: every batch fails at once.
    receiver.failNext({ count: 1_000_000, status: 500 });
    const printed: string[] = [];
    const io = { out: (text: string) => printed.push(`out ${text}`), err: (text: string) => printed.push(`err ${text}`), interactive: false };
    let code: number;
    try {
      code = await main(['run', scenario, '--cases', '20', '--pattern', 'sequential', '--db', db, '--otlp', receiver.url, '--no-report'], io);
    } finally {
      await receiver.close();
    }
    expect(code).toBe(1);
    const summary = printed.findIndex((line) => line.startsWith('out ') && line.includes('legal-review') && line.includes('sequential'));
    const failure = printed.findIndex((line) => line.startsWith('err error [EXPORT_FAILED]'));
    expect(summary, printed.join('\n')).toBeGreaterThanOrEqual(0);
    expect(failure, printed.join('\n')).toBeGreaterThan(summary);
    expect(printed[failure]).toContain('the results file is complete');
    expect(receiver.failedRequests).toBeGreaterThan(0);
    expect(existsSync(db)).toBe(true);
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.prepare('SELECT status FROM runs').pluck().all()).toEqual(['completed']);
    expect(sqlite.prepare('SELECT count(*) FROM workflows').pluck().get()).toBe(20);
    sqlite.close();
  }, 60_000);
});
