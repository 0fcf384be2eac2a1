/**
 * Report benchmarks (part of `npm run bench`): the wall time of `patternbench report` — reading a
 * results file and writing its HTML page — on the shipped suite's file and on the hour-long file of
 * `bench-load.ts` (360,000 workflows, 1.44 M agent calls, ~4 M spans), each in a fresh process so
 * the time includes starting the CLI and opening and checking the file, as a user sees it; and,
 * beside each, the two parts no query can shorten: starting the CLI (`patternbench --version`: Node,
 * and the compiled CLI of `.build/` when it matches the sources, else the TypeScript loader) and the
 * open gate's integrity check (`PRAGMA quick_check` of the tables the report scans).
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_READER } from '../reports/html/report.ts';
import { openResultsReadonly } from '../reports/store/open-results.ts';
// @ts-expect-error -- plain JavaScript without declarations (it runs before any TypeScript loader).
import { compiledMain } from '../harness/cli/compiled.js';

const BIN = new URL('../harness/cli/bin.js', import.meta.url).pathname;
const SCENARIOS = new URL('../scenarios', import.meta.url).pathname;

/** Seconds `patternbench <args>` takes, run as a user runs it. */
function cliSeconds(args: readonly string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

/** Seconds the report's open gate takes on `db` (`openResultsReadonly`: its checks, the integrity check of the tables it scans first). */
function openGateSeconds(db: string): number {
  const started = performance.now();
  openResultsReadonly(db, REPORT_READER).close();
  return (performance.now() - started) / 1000;
}

/** `report <db>`: its wall time, with the file's size and its integrity check. */
function reportRow(label: string, db: string): [string, string] {
  const seconds = cliSeconds(['report', db, '--out', `${db}.html`]);
  const megabytes = statSync(db).size / 1e6;
  return [label, `${seconds.toFixed(2)} s (of which opening and checking its ${megabytes.toFixed(0)} MB: ${openGateSeconds(db).toFixed(2)} s)`];
}

/** What a results file holds, for a row's label: "42 runs, 61 k workflows, 352 k spans". */
export function fileShape(db: string): string {
  const handle = openResultsReadonly(db, REPORT_READER);
  try {
    const count = (table: string): number => handle.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return `${count('runs')} runs, ${Math.round(count('workflows') / 1000)} k workflows, ${Math.round(count('span_rows') / 1000)} k spans`;
  } finally {
    handle.close();
  }
}

/** Report times of the shipped suite's file (written here) and of `hourDb`, and the CLI's start. */
export function benchReports(folder: string, hourDb: string): [string, string][] {
  const suite = join(folder, 'suite.db');
  execFileSync(process.execPath, [BIN, 'run', SCENARIOS, '--db', suite, '--no-report', '--quiet', '--no-threshold-gate'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return [
    [`starting the CLI (\`patternbench --version\`): Node and ${compiledMain() === null ? 'the TypeScript loader (no current build in .build/)' : 'the compiled CLI'}, before any command`, `${cliSeconds(['--version']).toFixed(2)} s`],
    reportRow(`\`patternbench report\` on the shipped suite’s file (${fileShape(suite)}; target ≤ 1 s)`, suite),
    reportRow('`patternbench report` on the hour-long file (360 k workflows, 1.44 M calls, 4 M spans; target ≤ 3 s)', hourDb),
  ];
}
