/**
 * Report benchmarks (part of `npm run bench`): the wall time of `patternbench report` — reading a
 * results file and writing its HTML page — on the shipped suite's file and on the hour-long file of
 * `bench-load.ts` (360,000 workflows, 1.44 M agent calls, ~4 M spans), each in a fresh process so
 * the time includes starting the CLI and opening and checking the file, as a user sees it; and,
 * beside each, the two parts no query can shorten: starting the CLI (`patternbench --version`: Node
 * and the TypeScript loader) and the open gate's integrity check (`PRAGMA quick_check`, which reads
 * every page of the file once).
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const BIN = new URL('../harness/cli/bin.js', import.meta.url).pathname;
const SCENARIOS = new URL('../scenarios', import.meta.url).pathname;

/** Seconds `patternbench <args>` takes, run as a user runs it. */
function cliSeconds(args: readonly string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

/** Seconds SQLite's `PRAGMA quick_check` takes on `db` (what the open gate runs before any query). */
function quickCheckSeconds(db: string): number {
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const started = performance.now();
    sqlite.prepare('PRAGMA quick_check(1)').pluck().get();
    return (performance.now() - started) / 1000;
  } finally {
    sqlite.close();
  }
}

/** `report <db>`: its wall time, with the file's size and its integrity check. */
function reportRow(label: string, db: string): [string, string] {
  const seconds = cliSeconds(['report', db, '--out', `${db}.html`]);
  const megabytes = statSync(db).size / 1e6;
  return [label, `${seconds.toFixed(2)} s (of which the integrity check of its ${megabytes.toFixed(0)} MB: ${quickCheckSeconds(db).toFixed(2)} s)`];
}

/** Report times of the shipped suite's file (written here) and of `hourDb`, and the CLI's start. */
export function benchReports(folder: string, hourDb: string): [string, string][] {
  const suite = join(folder, 'suite.db');
  execFileSync(process.execPath, [BIN, 'run', SCENARIOS, '--db', suite, '--no-report', '--quiet', '--no-threshold-gate'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return [
    ['starting the CLI (`patternbench --version`): Node and the TypeScript loader, before any command', `${cliSeconds(['--version']).toFixed(2)} s`],
    reportRow('`patternbench report` on the shipped suite’s file (26 runs, 59 k workflows, 332 k spans; target ≤ 1 s)', suite),
    reportRow('`patternbench report` on the hour-long file (360 k workflows, 1.44 M calls, 4 M spans; target ≤ 3 s)', hourDb),
  ];
}
