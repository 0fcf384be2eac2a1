import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * A three-step chain whose agents fail (5xx), answer 429 with a retry-after, and hang until their
 * timeout now and then, with retries (no jitter: the backoffs draw nothing from the seed): a recorded
 * run of it holds ok and failed attempts of every kind.
 * Written to `folder`; returns its path.
 */
export function writeFlakyChain(folder: string): string {
  const agent = (name: string, model: string): string =>
    `  ${name}: { role: ${name}, model: ${model}, outputTokens: { dist: lognormal, p50: 300, p95: 900 }, timeout: 20s, ` +
    'faults: { error: 0.1, rateLimit: 0.05, timeout: 0.02, retryAfter: 2s }, retry: { attempts: 2, initialBackoff: 200ms, jitter: 0 } }';
  const file = join(folder, 'flaky-chain.yaml');
  writeFileSync(
    file,
    [
      'name: flaky-chain',
      'agents:',
      agent('extractor', 'mid-tier'),
      agent('scorer', 'frontier'),
      agent('writer', 'small-fast'),
      'cases:',
      '  generate: { count: 60, labels: { low: 0.5, medium: 0.3, high: 0.2 } }',
      'patterns:',
      '  sequential: { steps: [extractor, scorer, writer] }',
      '  single-agent: { agent: scorer }',
      'load: { arrivals: closed, concurrency: 4 }',
      '',
    ].join('\n'),
  );
  return file;
}

/** Rows of `sql` in `db`. */
export function rowsOf(db: string, sql: string): Record<string, unknown>[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    sqlite.close();
  }
}
