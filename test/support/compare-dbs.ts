/** Results files for compare tests: a real run of the legal-review scenario, and a copy with a latency regression injected. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../../harness/cli/main.ts';
import { captureIo } from './capture-io.ts';

const scenario = new URL('../../scenarios/legal-review.yaml', import.meta.url).pathname;

/** Runs legal-review (sequential and single-agent, `cases` cases) into `<folder>/<name>.db`; returns the path. */
export async function runLegalReview(folder: string, name: string, cases: number): Promise<string> {
  const path = join(folder, `${name}.db`);
  const code = await main(['run', scenario, '--cases', String(cases), '--concurrency', '8', '--db', path, '--quiet', '--format', 'json'], captureIo());
  if (code !== 0) throw new Error(`run exited ${code}`);
  return path;
}

/** Copies `path` to `<folder>/<name>.db` with every workflow of `pattern` `factor` times slower (latency and end time). */
export function withSlowerPattern(path: string, folder: string, name: string, pattern: string, factor: number): string {
  const copy = join(folder, `${name}.db`);
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.prepare(
    `UPDATE workflows SET latency_ms = latency_ms * @factor, end_ms = intended_start_ms + latency_ms * @factor
     WHERE run_id IN (SELECT run_id FROM runs WHERE pattern = @pattern)`,
  ).run({ factor, pattern });
  db.close();
  return copy;
}
