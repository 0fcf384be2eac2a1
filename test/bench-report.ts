/**
 * Report benchmarks (part of `npm run bench`): the wall time of `patternbench report` — reading a
 * results file and writing its HTML page — on the shipped suite's file and on the hour-long file of
 * `bench-load.ts` (360,000 workflows, 1.44 M agent calls, ~4 M spans), each in a fresh process so
 * the time includes opening and checking the file, as a user sees it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = new URL('../harness/cli/bin.js', import.meta.url).pathname;
const SCENARIOS = new URL('../scenarios', import.meta.url).pathname;

/** Seconds `patternbench report <db>` takes, run as a user runs it. */
function reportSeconds(db: string): number {
  const started = performance.now();
  execFileSync(process.execPath, [BIN, 'report', db, '--out', `${db}.html`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

/** Report times of the shipped suite's file (written here) and of `hourDb`. */
export function benchReports(folder: string, hourDb: string): [string, string][] {
  const suite = join(folder, 'suite.db');
  execFileSync(process.execPath, [BIN, 'run', SCENARIOS, '--db', suite, '--no-report', '--quiet', '--no-threshold-gate'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return [
    ['`patternbench report` on the shipped suite’s file (24 runs, 57 k workflows, 322 k spans; target ≤ 1 s)', `${reportSeconds(suite).toFixed(2)} s`],
    ['`patternbench report` on the hour-long file (360 k workflows, 1.44 M calls; target ≤ 3 s)', `${reportSeconds(hourDb).toFixed(2)} s`],
  ];
}
