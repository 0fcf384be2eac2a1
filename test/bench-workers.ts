/**
 * The workers benchmark (issue 17, "every core"): the shipped suite as `npm start` runs it
 * (`patternbench run scenarios --no-threshold-gate`, every run of `scenarios/`), once with `--workers 1` and once
 * with `--workers 2`, in the same bench run, each as the command runs (its own process through
 * bin.js: planning, the runs, the union of the workers' files, thresholds, summary and report),
 * with the ratio (target ≥ 1.7×). `npm run bench` calls it; alone: `node --import tsx test/bench-workers.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RealClock } from '../harness/kernel/real-clock.ts';
import { fileShape } from './bench-report.ts';

const BIN = new URL('../harness/cli/bin.js', import.meta.url).pathname;
const SCENARIOS = new URL('../scenarios', import.meta.url).pathname;

/** Wall seconds of `npm start`'s command with `--workers workers`, its results in `folder`. */
function suiteSeconds(folder: string, workers: number): number {
  const wall = new RealClock();
  const started = wall.now();
  execFileSync(process.execPath, [BIN, 'run', SCENARIOS, '--no-threshold-gate', '--db', join(folder, `start-${workers}.db`), '--workers', String(workers), '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return (wall.now() - started) / 1000;
}

/** Runs the suite with one worker, then two; returns Markdown table rows: [measure, value]. */
export function benchWorkers(): [string, string][] {
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-bench-workers-'));
  try {
    const one = suiteSeconds(folder, 1);
    const two = suiteSeconds(folder, 2);
    return [
      [`\`npm start\` suite (${fileShape(join(folder, 'start-1.db'))}), \`--workers 1\``, `${one.toFixed(1)} s wall`],
      ['`npm start` suite, `--workers 2`', `${two.toFixed(1)} s wall`],
      ['`npm start` suite, `--workers 2` ÷ `--workers 1` (target ≥ 1.7×)', `${(one / two).toFixed(2)}×`],
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [measure, value] of benchWorkers()) console.log(`| ${measure} | ${value} |`);
}
