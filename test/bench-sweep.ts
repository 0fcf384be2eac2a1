/**
 * The sweep benchmark (issue 18): a 5 × 5 grid × 4 patterns × 500 workflows — due diligence's
 * fan-out, chain, supervisor and single agent, with the financial analyst's skill and the frontier
 * model's output price swept — run as `patternbench sweep` runs it: every point compiled, the 100
 * cells in worker threads (one per core) into their own files, merged into one results file,
 * thresholds recorded, then the boundaries (1,000 bootstrap resamples) and the page. Target: ≤ 30 s
 * on 2 cores. `npm run bench` calls it last; alone: `node --import tsx test/bench-sweep.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { gridDesign, planSweep } from '../harness/run/sweep/sweep-plan.ts';
import { readSweepSource } from '../harness/run/sweep/sweep-point.ts';
import { runSweep } from '../harness/run/sweep/sweep-run.ts';
import { parseVary } from '../harness/run/sweep/sweep-values.ts';
import { readSweepBoundaries, writeSweepPage } from '../reports/sweep/page.ts';

/** Runs the grid and returns Markdown table rows: [measure, value]. */
export async function benchSweepGrid(): Promise<[string, string][]> {
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-bench-sweep-'));
  try {
    const started = performance.now();
    const source = readSweepSource(new URL('../scenarios/due-diligence.yaml', import.meta.url).pathname);
    const base = compileScenarioText(source.text, source.file);
    const design = gridDesign(source, [parseVary('agents.financial-analyst.skill=0.7..0.98:5'), parseVary('models.frontier.pricing.outputPerMTok=5..25:5')]);
    const plan = planSweep(source, base, design, { patterns: null, variants: null, seeds: null, cases: 500, repeat: 1, concurrency: null });
    const planned = performance.now();
    const db = join(folder, 'sweep.db');
    const workers = availableParallelism();
    const outcome = await runSweep(plan, { db, workers });
    const ran = performance.now();
    const boundaries = readSweepBoundaries(db);
    writeSweepPage(join(folder, 'sweep.html'), boundaries, db);
    const done = performance.now();
    const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    return [
      [
        `sweep: 5 × 5 grid × 4 patterns × 500 workflows (${outcome.runs} runs, ${outcome.workflows.toLocaleString('en-US')} workflows, ${outcome.agentCalls.toLocaleString('en-US')} agent calls) on ${workers} worker threads (target ≤ 30 s)`,
        `${seconds(done - started)} wall: plan ${seconds(planned - started)}, runs + merge ${seconds(ran - planned)} (${Math.round(outcome.agentCalls / ((ran - planned) / 1000)).toLocaleString('en-US')} agent calls/s), boundaries + page ${seconds(done - ran)}; ${boundaries[0]?.crossings.length ?? 0} crossings`,
      ],
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [measure, value] of await benchSweepGrid()) console.log(`| ${measure} | ${value} |`);
}
